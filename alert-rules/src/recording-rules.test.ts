import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALERT_RULES_DIR, RENDERED_DIR } from './paths.js';
import { RULES_FILE } from './render.js';
import { alertingRules, readRuleFile, recordingRuleList } from './rule-files.js';
import type { RuleGroup } from './rule-types.js';

/** Where a recording rule may be read: the dashboards and the Grafana app's queries. */
const CONSUMER_DIRS = [join(ALERT_RULES_DIR, '..', 'dashboards'), join(ALERT_RULES_DIR, '..', 'grafana-plugin', 'src')];
const CONSUMER_FILE = /\.(json|ts|tsx)$/;

async function textsUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const texts: string[] = [];
  for (const entry of entries) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) texts.push(...(await textsUnder(path)));
    else if (CONSUMER_FILE.test(entry.name)) texts.push(await readFile(path, 'utf8'));
  }
  return texts;
}

/** Records no alert expression and no consumer text names: shipped, evaluated, and read by nobody. */
function unreadRecords(groups: readonly RuleGroup[], consumerTexts: readonly string[]): string[] {
  const alertExprs = alertingRules(groups).map((rule) => rule.expr);
  const readers = [...alertExprs, ...consumerTexts];
  return recordingRuleList(groups)
    .map((rule) => rule.record)
    .filter((record) => !readers.some((text) => text.includes(record)));
}

describe('recording rules', () => {
  it('are only shipped when an alert, a dashboard or the Grafana app reads them', async () => {
    const groups = await readRuleFile(join(RENDERED_DIR, RULES_FILE));
    const consumers = (await Promise.all(CONSUMER_DIRS.map(textsUnder))).flat();
    // The dashboards exist; an empty list would make this pass for the wrong reason.
    expect(consumers.length).toBeGreaterThan(3);
    expect(unreadRecords(groups, consumers)).toEqual([]);
  });

  it('flags a record nothing reads, and accepts one an alert or a dashboard reads', () => {
    const groups: RuleGroup[] = [
      {
        name: 'g',
        rules: [
          { record: 'workload:unread:max', expr: 'max(x)' },
          { record: 'workload:alerted:max', expr: 'max(y)' },
          { record: 'workload:charted:max', expr: 'max(z)' },
          { alert: 'A', expr: 'workload:alerted:max > 1', annotations: {} },
        ],
      },
    ];
    expect(unreadRecords(groups, ['{"expr": "workload:charted:max"}'])).toEqual(['workload:unread:max']);
  });
});
