import { describe, expect, it } from 'vitest';
import { counterGrowth } from './counters.js';
import { anomaliesInRange, ruleHitsInRange } from './detections-queries.js';
import { detectionsByRuleAndSeverity, learningProgressOfLearning, topWorkloadsByScore, workloadsByState } from './overview-queries.js';
import { eventLossRatio, eventsLostRate } from './sensor-queries.js';
import { toLabelValuesQuery, workloadLabelValues } from './variable-queries.js';
import { exactWorkload, exactWorkloadVariables, filterByVariables } from './workload-matchers.js';
import { categoryScores, recentNovelItems } from './workload-queries.js';

// These pin the text; whether each query returns the right series is tested against a real
// Prometheus in test/browser/panel-queries.test.ts.
describe('workload matchers', () => {
  it('filters by multi-value variables', () => {
    expect(filterByVariables()).toEqual([
      { label: 'namespace', op: '=~', value: '$namespace' },
      { label: 'workload', op: '=~', value: '$workload' },
    ]);
  });
  it('pins all four labels exactly, including empty ones', () => {
    expect(categoryScores(exactWorkload({ namespace: '', workload: 'system.slice/a.service', workload_type: 'cgroup', container: '' }))).toBe(
      'telltale_category_deviation_score{namespace="", workload="system.slice/a.service", workload_type="cgroup", container=""}',
    );
    expect(exactWorkloadVariables().map((m) => `${m.label}${m.op}${m.value}`)).toEqual([
      'namespace=$namespace',
      'workload=$workload',
      'workload_type=$workload_type',
      'container=$container',
    ]);
  });
});

describe('counterGrowth', () => {
  it('compares with the value one window ago, or with zero for series born since', () => {
    expect(counterGrowth('x{a="b"}', '$__range')).toBe('clamp_min(x{a="b"} - (x{a="b"} offset $__range or x{a="b"} * 0), 0)');
  });
});

describe('overview queries', () => {
  const m = filterByVariables();
  it('ranks workloads once for the whole range', () => {
    expect(topWorkloadsByScore(m, 5)).toBe(
      'telltale_deviation_score{namespace=~"$namespace", workload=~"$workload"} and on (namespace, workload, workload_type, container) ' +
        'topk(5, max_over_time(telltale_deviation_score{namespace=~"$namespace", workload=~"$workload"}[$__range] @ end()))',
    );
    expect(() => topWorkloadsByScore(m, 0)).toThrow(/positive integer, got 0/);
  });
  it('counts states and keeps only learning workloads in the progress list', () => {
    expect(workloadsByState(m)).toBe('count by (state) (telltale_profile_state{namespace=~"$namespace", workload=~"$workload"} == 1)');
    expect(learningProgressOfLearning(m)).toContain('state="learning"');
  });
  it('sums detections over the range per rule and severity', () => {
    expect(detectionsByRuleAndSeverity(m)).toMatch(/^sort_desc\(sum by \(rule, severity\) \(clamp_min\(/);
  });
});

describe('detections and workload queries', () => {
  it('keeps items seen within the range', () => {
    expect(ruleHitsInRange([])).toBe('telltale_rule_last_detection_timestamp_seconds > time() - $__range_s');
    expect(anomaliesInRange([])).toBe('telltale_anomaly_last_seen_timestamp_seconds > time() - $__range_s');
  });
  it('keeps one series per novel item', () => {
    expect(recentNovelItems([])).toBe('max by (category, item) (telltale_anomaly_last_seen_timestamp_seconds)');
  });
});

describe('sensor queries', () => {
  it('breaks loss down by the requested labels plus reason', () => {
    expect(eventsLostRate([], ['instance'])).toBe('sum by (instance, reason) (rate(telltale_bpf_events_lost_total[$__rate_interval]))');
    expect(eventLossRatio()).toBe(
      'sum(rate(telltale_bpf_events_lost_total[$__rate_interval])) / (sum(rate(telltale_bpf_events_total[$__rate_interval])) + sum(rate(telltale_bpf_events_lost_total[$__rate_interval])))',
    );
  });
});

describe('variable queries', () => {
  it('renders Grafana label_values syntax', () => {
    expect(toLabelValuesQuery(workloadLabelValues('workload', filterByVariables().slice(0, 1)))).toBe(
      'label_values(telltale_profile_state{namespace=~"$namespace"}, workload)',
    );
  });
});
