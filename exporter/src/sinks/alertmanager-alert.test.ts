import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../observations/category.js';
import { BEHAVIOURAL_RULES } from '../rules/rule-catalog.js';
import { DEFAULT_RUNBOOK_URL_TEMPLATE, OTHER_RULE_RUNBOOK, alertmanagerAlert, runbookName, type AlertOptions } from './alertmanager-alert.js';
import { sampleFinding } from './test-fixtures/sample-finding.js';

const options: AlertOptions = {
  resolveAfterMs: 15 * 60_000,
  runbookUrlTemplate: DEFAULT_RUNBOOK_URL_TEMPLATE,
  externalLabels: { cluster: 'prod-eu', severity: 'ignored' },
};
const sentAt = new Date('2026-11-28T10:00:00.300Z');
/** The runbooks alert-rules/ publishes, one per alert, at the default template's URL. */
const RUNBOOKS_DIR = fileURLToPath(new URL('../../../alert-rules/runbooks/', import.meta.url));

describe('alertmanagerAlert', () => {
  it('turns a rule hit into a labelled alert that resolves by itself', () => {
    const alert = alertmanagerAlert(
      sampleFinding({ rule: 'reverse-shell', severity: 'critical', item: '/bin/sh', summary: 'Reverse shell: /bin/sh' }),
      sentAt,
      { ...options, generatorUrl: 'http://node-a:9310/' },
    );
    expect(alert).toEqual({
      labels: {
        alertname: 'TelltaleRuleDetection',
        cluster: 'prod-eu',
        severity: 'critical',
        namespace: 'shop',
        workload: 'checkout',
        workload_type: 'deployment',
        container: 'api',
        rule: 'reverse-shell',
        category: 'exec',
        item: '/bin/sh',
      },
      annotations: {
        summary: 'Reverse shell: /bin/sh',
        description:
          'Behavioural rule reverse-shell matched exec item "/bin/sh" in namespace shop, deployment checkout, container api. ' +
          'Process sh (pid 4242, ppid 4000, uid 1000, exe /bin/sh) at 2026-11-28T10:00:00.000Z. Deviation score 0.42.',
        runbook_url: 'https://github.com/telltale/telltale/blob/main/alert-rules/runbooks/TelltaleReverseShell.md',
      },
      startsAt: '2026-11-28T10:00:00.000Z',
      endsAt: '2026-11-28T10:15:00.300Z',
      generatorURL: 'http://node-a:9310/',
    });
  });

  it('names anomalies by category and leaves out labels that do not apply', () => {
    const alert = alertmanagerAlert(
      sampleFinding({
        kind: 'anomaly',
        rule: '',
        category: 'network',
        severity: 'info',
        item: '203.0.113.9:4444',
        score: NaN,
        workload: { namespace: '', workload: 'system.slice/app.service', workloadType: 'cgroup', container: '' },
      }),
      sentAt,
      { ...options, externalLabels: {}, runbookUrlTemplate: 'https://runbooks.example/{alertname}/{runbook}?c={category}' },
    );
    expect(alert.labels).toEqual({
      alertname: 'TelltaleAnomaly',
      severity: 'info',
      workload: 'system.slice/app.service',
      workload_type: 'cgroup',
      category: 'network',
      item: '203.0.113.9:4444',
    });
    expect(alert.annotations.description).toBe(
      'Novel network item "203.0.113.9:4444" outside the learned profile in cgroup system.slice/app.service. ' +
        'Process sh (pid 4242, ppid 4000, uid 1000, exe /bin/sh) at 2026-11-28T10:00:00.000Z.',
    );
    expect(alert.annotations.runbook_url).toBe('https://runbooks.example/TelltaleAnomaly/TelltaleUnexpectedNetworkPeer?c=network');
    expect(alert).not.toHaveProperty('generatorURL');
  });

  it('points each finding at the alert-rules/ runbook that covers it', async () => {
    const runbooks = new Set((await readdir(RUNBOOKS_DIR)).map((file) => file.replace(/\.md$/, '')));
    // Every rule of the catalog, so a new rule without its alert-rules/ alert and runbook fails here.
    expect(BEHAVIOURAL_RULES.length).toBeGreaterThan(0);
    for (const { id } of BEHAVIOURAL_RULES) {
      const name = runbookName(sampleFinding({ rule: id }));
      expect(name, id).not.toBe(OTHER_RULE_RUNBOOK);
      expect(runbooks, id).toContain(name);
    }
    for (const category of CATEGORIES) {
      expect(runbooks, category).toContain(runbookName(sampleFinding({ kind: 'anomaly', rule: '', category })));
    }
  });

  it('links a rule the catalog does not know to the catch-all runbook, not to one named after it', async () => {
    const runbooks = new Set((await readdir(RUNBOOKS_DIR)).map((file) => file.replace(/\.md$/, '')));
    expect(runbooks).not.toContain('TelltaleFutureRule');
    expect(runbooks).toContain(OTHER_RULE_RUNBOOK);
    const finding = sampleFinding({ rule: 'future-rule', severity: 'info', item: 'something new' });
    expect(runbookName(finding)).toBe(OTHER_RULE_RUNBOOK);
    const alert = alertmanagerAlert(finding, sentAt, options);
    expect(alert.annotations.runbook_url).toBe('https://github.com/telltale/telltale/blob/main/alert-rules/runbooks/TelltaleBehaviouralRuleDetection.md');
    // The rule label still says which rule it was; only the link falls back.
    expect(alert.labels.rule).toBe('future-rule');
  });

  it('counts endsAt from the later of observation and send time', () => {
    const late = alertmanagerAlert(sampleFinding(), new Date('2026-11-28T12:00:00.000Z'), options);
    expect(late.startsAt).toBe('2026-11-28T10:00:00.000Z');
    expect(late.endsAt).toBe('2026-11-28T12:15:00.000Z');
    const clockBehind = alertmanagerAlert(sampleFinding(), new Date('2026-11-28T09:00:00.000Z'), options);
    expect(clockBehind.endsAt).toBe('2026-11-28T10:15:00.000Z');
  });
});
