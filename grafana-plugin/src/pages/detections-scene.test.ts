// @vitest-environment jsdom
import { dateTime, type TimeRange } from '@grafana/data';
import { CustomVariable, MultiValueVariable, sceneGraph, type EmbeddedScene } from '@grafana/scenes';
import { describe, expect, it } from 'vitest';
import { PromQueryRunner } from '../scene/prom-query-runner.js';
import { TelltalePanel } from '../scene/telltale-panel.js';
import { detectionsScene } from './detections-scene.js';

const TWO_HOURS: TimeRange = { from: dateTime(1_800_000_000_000), to: dateTime(1_800_007_200_000), raw: { from: 'now-2h', to: 'now' } };

function variable(scene: EmbeddedScene, name: string): MultiValueVariable {
  const v = sceneGraph.lookupVariable(name, scene);
  if (!(v instanceof MultiValueVariable)) throw new Error(`the Detections page has no multi-value variable ${name}`);
  return v;
}

/** The PromQL a panel sends with the page's current variable values, over two hours. */
function sent(scene: EmbeddedScene, key: string): Record<string, string> {
  const panel = sceneGraph.findByKey(scene, key);
  const runner = panel instanceof TelltalePanel ? panel.state.$data : undefined;
  if (!(runner instanceof PromQueryRunner)) throw new Error(`panel ${key} has no PromQueryRunner`);
  return Object.fromEntries(runner.interpolatedQueries(TWO_HOURS).map((q) => [q.refId, q.expr]));
}

/** The page as a user opens it: everything "All" until a filter is picked. */
function page(): EmbeddedScene {
  const scene = detectionsScene({ datasourceUid: 'prom', exporterUrl: 'http://telltale:9310', alertThreshold: 0.9 });
  for (const name of ['namespace', 'workload', 'severity', 'rule', 'category']) variable(scene, name).changeValueTo(['$__all']);
  return scene;
}

const ALL = 'namespace=~".*", workload=~".*"';

describe('Detections page filters', () => {
  it('start at "All", which matches every value, the empty one included', () => {
    expect(sent(page(), 'detections-table')).toEqual({
      rules: `telltale_rule_last_detection_timestamp_seconds{${ALL}, severity=~".*", rule=~".*"} > time() - 7200`,
      anomalies: `telltale_anomaly_last_seen_timestamp_seconds{${ALL}, category=~".*"} > time() - 7200`,
    });
  });

  it('narrow rule hits by severity and rule, and anomalies (which have no severity) by category', () => {
    const scene = page();
    variable(scene, 'severity').changeValueTo(['critical']);
    variable(scene, 'rule').changeValueTo(['reverse-shell']);
    variable(scene, 'category').changeValueTo(['exec']);
    expect(sent(scene, 'detections-table')).toEqual({
      rules: `telltale_rule_last_detection_timestamp_seconds{${ALL}, severity=~"critical", rule=~"reverse-shell"} > time() - 7200`,
      anomalies: `telltale_anomaly_last_seen_timestamp_seconds{${ALL}, category=~"exec"} > time() - 7200`,
    });
    // The charts above the table follow the same filters.
    expect(sent(scene, 'detections-over-time')['A']).toContain('telltale_rule_detections_total{namespace=~".*", workload=~".*", severity=~"critical", rule=~"reverse-shell"}');
    expect(sent(scene, 'anomalies-over-time')['A']).toContain('telltale_anomalies_total{namespace=~".*", workload=~".*", category=~"exec"}');
  });

  it('join several values as alternatives and escape regex characters in each', () => {
    const scene = page();
    variable(scene, 'severity').changeValueTo(['critical', 'warning']);
    variable(scene, 'rule').changeValueTo(['exec-from-temp', 'odd.rule(x)']);
    variable(scene, 'category').changeValueTo(['file', 'dns']);
    expect(sent(scene, 'detections-table')).toEqual({
      rules: `telltale_rule_last_detection_timestamp_seconds{${ALL}, severity=~"(critical|warning)", rule=~"(exec-from-temp|odd\\\\.rule\\\\(x\\\\))"} > time() - 7200`,
      anomalies: `telltale_anomaly_last_seen_timestamp_seconds{${ALL}, category=~"(file|dns)"} > time() - 7200`,
    });
  });

  it('offer every severity and category as fixed choices', () => {
    const scene = page();
    const choices = (name: string): string => {
      const v = variable(scene, name);
      if (!(v instanceof CustomVariable)) throw new Error(`${name} is not a fixed-choice variable`);
      return v.state.query;
    };
    expect(choices('severity')).toBe('critical,warning,info');
    expect(choices('category')).toBe('exec,file,syscall,syscall_sequence,network,dns,capability');
  });
});
