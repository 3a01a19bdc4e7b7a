import { describe, expect, it } from 'vitest';
import { counterGrowth, counterRate } from './counters.js';
import { anomaliesInRange, ruleHitsInRange } from './detections-queries.js';
import {
  anomaliesByCategory,
  anomaliesOverTime,
  detectionsByRuleAndSeverity,
  detectionsOverTime,
  learningOverdueCount,
  learningProgressOfLearning,
  topWorkloadsByScore,
  workloadsByState,
} from './overview-queries.js';
import { matcher } from './promql.js';
import {
  bpfMapEntries,
  capabilityMode,
  eventLossRatio,
  eventsDeliveredRate,
  eventsLostRate,
  exporterVersions,
  generalizationOverflowByWorkload,
  loaderRestarts,
  observationsRate,
  profileStoreErrors,
  scoreSuppressedByWorkload,
  sinkEventsRate,
  sinkQueueLength,
  unattributedRate,
} from './sensor-queries.js';
import { anomalyCategoryLabelValues, instanceLabelValues, ruleLabelValues, toLabelValuesQuery, workloadLabelValues } from './variable-queries.js';
import { dashboardWorkloadVariables, exactWorkload, exactWorkloadVariables, filterByVariables } from './workload-matchers.js';
import {
  anomalyCount,
  categoryScores,
  currentProfileState,
  learningOverdue,
  learningProgress,
  profileEntriesByCategory,
  recentNovelItems,
  recentRuleHits,
  ruleHitCounts,
  scoreSuppressed,
  workloadScore,
} from './workload-queries.js';

// These pin the text; whether each query returns the right series is tested against a real
// Prometheus in test/browser/panel-queries.test.ts.

/** `x{a="b"}` grown over `w`, spelled out, so the expected strings below stay readable. */
const growth = (series: string, w: string): string => `clamp_min(${series} - (${series} offset ${w} or ${series} * 0), 0)`;

const VARS = 'namespace=~"$namespace", workload=~"$workload"';
const PINNED = 'namespace="$namespace", workload="$workload", workload_type="$workload_type", container="$container"';
/** A workload whose name needs escaping inside a PromQL string: a quote and a backslash. */
const ODD = exactWorkload({ namespace: '', workload: 'system.slice/a"b\\c.service', workload_type: 'cgroup', container: '' });
const ODD_TEXT = 'namespace="", workload="system.slice/a\\"b\\\\c.service", workload_type="cgroup", container=""';

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
  it('escapes quotes and backslashes in literal workload names', () => {
    expect(workloadScore(ODD)).toBe(`telltale_deviation_score{${ODD_TEXT}}`);
  });
  it('pins the dashboard workload exactly and leaves the rest "All"-able', () => {
    expect(workloadScore(dashboardWorkloadVariables())).toBe(
      'telltale_deviation_score{namespace=~"$namespace", workload="$workload", workload_type=~"$workload_type", container=~"$container"}',
    );
  });
});

describe('counters', () => {
  it('compares with the value one window ago, or with zero for series born since', () => {
    expect(counterGrowth('x{a="b"}', '$__range')).toBe('clamp_min(x{a="b"} - (x{a="b"} offset $__range or x{a="b"} * 0), 0)');
  });
  it('takes per-second rates over the window', () => {
    expect(counterRate('x{a="b"}', '$__rate_interval')).toBe('rate(x{a="b"}[$__rate_interval])');
    expect(counterRate('x', '5m')).toBe('rate(x[5m])');
  });
});

describe('overview queries', () => {
  const m = filterByVariables();
  it('ranks workloads once for the whole range', () => {
    expect(topWorkloadsByScore(m, 5)).toBe(
      `telltale_deviation_score{${VARS}} and on (namespace, workload, workload_type, container) ` +
        `topk(5, max_over_time(telltale_deviation_score{${VARS}}[$__range] @ end()))`,
    );
    expect(() => topWorkloadsByScore(m, 0)).toThrow(/positive integer, got 0/);
    expect(() => topWorkloadsByScore(m, 2.5)).toThrow(/positive integer, got 2.5/);
  });
  it('counts states and overdue learners, 0 when none', () => {
    expect(workloadsByState(m)).toBe(`count by (state) (telltale_profile_state{${VARS}} == 1)`);
    expect(learningOverdueCount(m)).toBe(`count(telltale_profile_learning_overdue{${VARS}} == 1) or vector(0)`);
  });
  it('keeps only learning workloads in the progress list', () => {
    expect(learningProgressOfLearning(m)).toBe(
      `telltale_profile_learning_progress_ratio{${VARS}} * on (namespace, workload, workload_type, container) ` +
        `(telltale_profile_state{${VARS}, state="learning"} == 1)`,
    );
  });
  it('sums detections and anomalies over the range, largest first', () => {
    expect(detectionsByRuleAndSeverity(m)).toBe(`sort_desc(sum by (rule, severity) (${growth(`telltale_rule_detections_total{${VARS}}`, '$__range')}))`);
    expect(anomaliesByCategory(m)).toBe(`sort_desc(sum by (category) (${growth(`telltale_anomalies_total{${VARS}}`, '$__range')}))`);
  });
  it('counts detections and anomalies per step, leaving empty steps out', () => {
    expect(detectionsOverTime(m)).toBe(`sum by (severity) (${growth(`telltale_rule_detections_total{${VARS}}`, '$__interval')}) > 0`);
    expect(anomaliesOverTime([...m, matcher('category', '=~', '$category')])).toBe(
      `sum by (category) (${growth(`telltale_anomalies_total{${VARS}, category=~"$category"}`, '$__interval')}) > 0`,
    );
  });
});

describe('detections queries', () => {
  it('keeps items seen within the range', () => {
    expect(ruleHitsInRange([])).toBe('telltale_rule_last_detection_timestamp_seconds > time() - $__range_s');
    expect(anomaliesInRange([])).toBe('telltale_anomaly_last_seen_timestamp_seconds > time() - $__range_s');
    expect(ruleHitsInRange([matcher('rule', '=~', 'a"b')])).toBe('telltale_rule_last_detection_timestamp_seconds{rule=~"a\\"b"} > time() - $__range_s');
  });
});

describe('workload queries', () => {
  const pinned = exactWorkloadVariables();
  it('reads scores as they are', () => {
    expect(workloadScore(pinned)).toBe(`telltale_deviation_score{${PINNED}}`);
    expect(categoryScores(pinned)).toBe(`telltale_category_deviation_score{${PINNED}}`);
  });
  it('sums baseline entries per category', () => {
    expect(profileEntriesByCategory(pinned)).toBe(`sum by (category) (telltale_profile_entries{${PINNED}})`);
    expect(profileEntriesByCategory(ODD)).toBe(`sum by (category) (telltale_profile_entries{${ODD_TEXT}})`);
  });
  it('keeps one series per novel item and per rule hit', () => {
    expect(recentNovelItems(pinned)).toBe(`max by (category, item) (telltale_anomaly_last_seen_timestamp_seconds{${PINNED}})`);
    expect(recentNovelItems([])).toBe('max by (category, item) (telltale_anomaly_last_seen_timestamp_seconds)');
    expect(recentRuleHits(pinned)).toBe(`max by (rule, severity, item) (telltale_rule_last_detection_timestamp_seconds{${PINNED}})`);
  });
  it('counts rule hits and anomalies over the range, anomalies 0 when none', () => {
    expect(ruleHitCounts(pinned)).toBe(`sum by (rule, severity) (${growth(`telltale_rule_detections_total{${PINNED}}`, '$__range')})`);
    expect(anomalyCount(pinned)).toBe(`sum(${growth(`telltale_anomalies_total{${PINNED}}`, '$__range')}) or vector(0)`);
  });
  it('reads the state, progress and flags, flags 0 when unset', () => {
    expect(currentProfileState(pinned)).toBe(`telltale_profile_state{${PINNED}} == 1`);
    expect(learningProgress(pinned)).toBe(`telltale_profile_learning_progress_ratio{${PINNED}}`);
    expect(learningOverdue(pinned)).toBe(`max(telltale_profile_learning_overdue{${PINNED}}) or vector(0)`);
    expect(scoreSuppressed(pinned)).toBe(`max(telltale_score_suppressed{${PINNED}}) or vector(0)`);
  });
});

describe('sensor queries', () => {
  const node = [matcher('instance', '=~', '$instance')];
  const NODE = 'instance=~"$instance"';
  it('breaks loss and deliveries down by the requested labels plus reason or kind', () => {
    expect(eventsLostRate([], ['instance'])).toBe('sum by (instance, reason) (rate(telltale_bpf_events_lost_total[$__rate_interval]))');
    expect(eventsLostRate()).toBe('sum by (reason) (rate(telltale_bpf_events_lost_total[$__rate_interval]))');
    expect(eventsDeliveredRate(node, ['instance'])).toBe(`sum by (instance, kind) (rate(telltale_bpf_events_total{${NODE}}[$__rate_interval]))`);
  });
  it('divides lost records by all records the kernel produced', () => {
    expect(eventLossRatio()).toBe(
      'sum(rate(telltale_bpf_events_lost_total[$__rate_interval])) / (sum(rate(telltale_bpf_events_total[$__rate_interval])) + sum(rate(telltale_bpf_events_lost_total[$__rate_interval])))',
    );
    expect(eventLossRatio(node, ['instance'], '$__range')).toBe(
      `sum by (instance) (rate(telltale_bpf_events_lost_total{${NODE}}[$__range])) / ` +
        `(sum by (instance) (rate(telltale_bpf_events_total{${NODE}}[$__range])) + sum by (instance) (rate(telltale_bpf_events_lost_total{${NODE}}[$__range])))`,
    );
  });
  it('counts restarts and store errors over the range', () => {
    expect(loaderRestarts()).toBe(`sum by (instance) (${growth('telltale_loader_restarts_total', '$__range')})`);
    expect(loaderRestarts(node, [])).toBe(`sum(${growth(`telltale_loader_restarts_total{${NODE}}`, '$__range')})`);
    expect(profileStoreErrors(node)).toBe(`sum by (operation) (${growth(`telltale_profile_store_errors_total{${NODE}}`, '$__range')})`);
  });
  it('reads node gauges', () => {
    expect(unattributedRate(node, ['instance'])).toBe(`sum by (instance, category) (rate(telltale_unattributed_events_total{${NODE}}[$__rate_interval]))`);
    expect(bpfMapEntries(node)).toBe(`max by (instance, map) (telltale_bpf_map_entries{${NODE}})`);
    expect(capabilityMode(node)).toBe(`telltale_capability_mode{${NODE}} == 1`);
    expect(capabilityMode()).toBe('telltale_capability_mode == 1');
    expect(exporterVersions(node)).toBe(`count by (version) (telltale_build_info{${NODE}})`);
  });
  it('reads the sinks', () => {
    expect(sinkEventsRate(node)).toBe(`sum by (sink, outcome) (rate(telltale_sink_events_total{${NODE}}[$__rate_interval]))`);
    expect(sinkQueueLength(node)).toBe(`max by (sink) (telltale_sink_queue_length{${NODE}})`);
  });
  it('breaks per-workload health down by workload', () => {
    const wl = [...filterByVariables(), ...node];
    const WL = `${VARS}, ${NODE}`;
    expect(scoreSuppressedByWorkload(wl)).toBe(`max by (namespace, workload) (telltale_score_suppressed{${WL}})`);
    expect(observationsRate(wl)).toBe(`sum by (category) (rate(telltale_observations_total{${WL}}[$__rate_interval]))`);
    expect(observationsRate(wl, ['workload', 'category'])).toBe(`sum by (workload, category) (rate(telltale_observations_total{${WL}}[$__rate_interval]))`);
    expect(generalizationOverflowByWorkload(wl)).toBe(
      `sum by (namespace, workload, category) (${growth(`telltale_profile_generalization_overflow_total{${WL}}`, '$__range')})`,
    );
  });
});

describe('variable queries', () => {
  const ns = [matcher('namespace', '=~', '$namespace')];
  it('renders Grafana label_values syntax', () => {
    expect(toLabelValuesQuery(workloadLabelValues('workload', filterByVariables().slice(0, 1)))).toBe(
      'label_values(telltale_profile_state{namespace=~"$namespace"}, workload)',
    );
  });
  it('reads each variable from a series every candidate has', () => {
    expect(workloadLabelValues('namespace')).toEqual({ series: 'telltale_profile_state', label: 'namespace' });
    expect(ruleLabelValues(ns)).toEqual({ series: 'telltale_rule_detections_total{namespace=~"$namespace"}', label: 'rule' });
    expect(anomalyCategoryLabelValues(ns)).toEqual({ series: 'telltale_anomalies_total{namespace=~"$namespace"}', label: 'category' });
    expect(toLabelValuesQuery(instanceLabelValues())).toBe('label_values(telltale_build_info, instance)');
  });
});
