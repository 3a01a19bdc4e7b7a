import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT_RULES_DIR, RENDERED_DIR } from './paths.js';
import { RULES_FILE } from './render.js';

describe('metric names in the rules', () => {
  it('are all in the README metrics contract and in the exporter', async () => {
    const rules = await readFile(join(RENDERED_DIR, RULES_FILE), 'utf8');
    // Metric names, not recording rule names (those contain colons) or template text.
    const used = new Set([...rules.matchAll(/(?<![:\w])(telltale_[a-z_]+)(?=\{)/g)].map(([, name = '']) => name));
    // The regex must keep finding the metrics the alerts are built on, or the checks below pass on nothing.
    expect([...used]).toEqual(
      expect.arrayContaining(['telltale_deviation_score', 'telltale_anomaly_last_seen_timestamp_seconds', 'telltale_rule_last_detection_timestamp_seconds', 'telltale_bpf_events_lost_total']),
    );
    const readme = await readFile(join(ALERT_RULES_DIR, '..', 'README.md'), 'utf8');
    const contract = new Set([...readme.matchAll(/^\| `(telltale_[a-z_]+)` \|/gm)].map(([, name = '']) => name));
    const exporterNames = await readFile(join(ALERT_RULES_DIR, '..', 'exporter', 'src', 'metrics', 'metric-names.ts'), 'utf8');
    const exported = new Set([...exporterNames.matchAll(/'(telltale_[a-z_]+)'/g)].map(([, name = '']) => name));
    expect([...used].filter((name) => !contract.has(name)), 'not in the README contract').toEqual([]);
    expect([...used].filter((name) => !exported.has(name)), 'not in exporter/src/metrics/metric-names.ts').toEqual([]);
  });
});
