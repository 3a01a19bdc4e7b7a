import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runPromtool } from '../../test/support/prometheus.js';
import { loadConfig, type ConfigOverlay } from './config.js';
import { durationSeconds } from './duration.js';
import { DEFAULT_CONFIG, FAST_CONFIG, PROMTOOL_TESTS_DIR, RENDERED_DIR } from './paths.js';
import { PROMETHEUS_RULE_FILE, RULES_FILE, writeRendered } from './render.js';
import { alertingRules, listFiles, readRuleFile, recordingRuleList } from './rule-files.js';

const renderedRules = join(RENDERED_DIR, RULES_FILE);
let scratch = '';

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'telltale-alert-rules-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function promtoolTestFiles(): Promise<string[]> {
  return listFiles(PROMTOOL_TESTS_DIR, '.test.yaml');
}

describe('promtool check rules', () => {
  it('accepts the checked-in rule file', async () => {
    const result = await runPromtool(['check', 'rules', renderedRules]);
    expect(result.exitCode, result.output).toBe(0);
  });

  it('accepts the fast end-to-end variant, whose groups evaluate every second', async () => {
    const config = await loadConfig([DEFAULT_CONFIG, FAST_CONFIG]);
    const [rulesPath] = await writeRendered(config, join(scratch, 'fast'));
    if (rulesPath === undefined) throw new Error('nothing rendered');
    const result = await runPromtool(['check', 'rules', rulesPath]);
    expect(result.exitCode, result.output).toBe(0);
    const groups = await readRuleFile(rulesPath);
    expect(groups.map((group) => group.interval)).toEqual(groups.map(() => '1s'));
    for (const rule of alertingRules(groups)) {
      expect(durationSeconds(rule.for ?? '0s'), rule.alert).toBeLessThanOrEqual(5);
    }
  });

  it('renders the PrometheusRule manifest with exactly the groups of the rule file', async () => {
    const manifest: unknown = parse(await readFile(join(RENDERED_DIR, PROMETHEUS_RULE_FILE), 'utf8'));
    expect(manifest).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' });
    const spec = (manifest as { spec: { groups: unknown } }).spec;
    expect(spec.groups).toEqual(await readRuleFile(renderedRules));
    const extracted = join(scratch, 'from-prometheusrule.yaml');
    await writeFile(extracted, stringify({ groups: spec.groups }));
    const result = await runPromtool(['check', 'rules', extracted]);
    expect(result.exitCode, result.output).toBe(0);
  });
});

describe('promtool test rules', () => {
  it('passes every unit test file', async () => {
    const files = await promtoolTestFiles();
    expect(files.map((file) => basename(file))).toEqual([
      'behavioural-rules.test.yaml',
      'health.test.yaml',
      'workloads.test.yaml',
    ]);
    const result = await runPromtool(['test', 'rules', ...files]);
    expect(result.exitCode, `promtool test rules failed:\n${result.output}`).toBe(0);
  });

  it('covers every alert: it fires, stays quiet, and resolves', async () => {
    const coverage = await readCoverage(await promtoolTestFiles());
    const alerts = alertingRules(await readRuleFile(renderedRules)).map((rule) => rule.alert);
    const gaps: string[] = [];
    for (const alert of alerts) {
      const seen = coverage.alerts.get(alert);
      if (seen === undefined) gaps.push(`${alert}: no test`);
      else {
        if (!seen.fires) gaps.push(`${alert}: never expected to fire`);
        if (!seen.quiet) gaps.push(`${alert}: never expected to stay quiet before firing`);
        if (!seen.resolves) gaps.push(`${alert}: never expected to resolve after firing`);
      }
    }
    for (const tested of coverage.alerts.keys()) if (!alerts.includes(tested)) gaps.push(`${tested}: tested but not in the rules`);
    expect(gaps).toEqual([]);
  });

  // None ship today (recording-rules.test.ts keeps unread ones out); one added later needs a promql_expr_test.
  it('covers every recording rule', async () => {
    const coverage = await readCoverage(await promtoolTestFiles());
    const records = recordingRuleList(await readRuleFile(renderedRules)).map((rule) => rule.record);
    expect(records.filter((record) => !coverage.recordings.has(record))).toEqual([]);
  });

  // The unit tests must be able to fail: each of these plausible mistakes has to break them.
  const mutations: ReadonlyArray<[string, ConfigOverlay]> = [
    ['a lower deviation threshold', { deviation: { threshold: 0.85 } }],
    ['a longer deviation for', { deviation: { for: '3m' } }],
    ['a shorter keep_firing_for', { deviation: { keepFiringFor: '1m' } }],
    ['a longer novel-item window', { novelItems: { window: '30m' } }],
    ['fewer sensitive files', { novelItems: { sensitiveFiles: ['/etc/shadow'] } }],
    ['another item severity', { novelItems: { severity: 'info' } }],
    ['a shorter behavioural-rule window', { behaviouralRules: { window: '10m' } }],
    ['a shorter exporter-down for', { exporter: { downFor: '1m' } }],
    ['a shorter exporter-absent for', { exporter: { absentFor: '5m' } }],
    ['a shorter kernel-loss for', { kernelEventLoss: { for: '4m' } }],
    ['a higher restart threshold', { loaderRestarts: { threshold: 3 } }],
    ['a shorter learning-overdue for', { learningOverdue: { for: '20m' } }],
    ['a shorter store-error window', { profileStoreErrors: { window: '5m' } }],
    ['another exporter job', { exporterSelector: 'job="other"' }],
  ];
  it.each(mutations)('fail on %s', async (name, overlay) => {
    const dir = join(scratch, name.replace(/\W+/g, '-'));
    const config = await loadConfig([DEFAULT_CONFIG], overlay);
    await writeRendered(config, join(dir, 'rendered'));
    await cp(PROMTOOL_TESTS_DIR, join(dir, 'promtool-tests'), { recursive: true });
    const result = await runPromtool(['test', 'rules', ...(await listFiles(join(dir, 'promtool-tests'), '.test.yaml'))]);
    expect(result.exitCode, `promtool test rules passed with ${name}`).not.toBe(0);
    expect(result.output).toContain('FAILED');
  });
});

interface AlertCoverage {
  fires: boolean;
  quiet: boolean;
  resolves: boolean;
}

interface Coverage {
  readonly alerts: Map<string, AlertCoverage>;
  readonly recordings: Set<string>;
}

interface PromtoolTestFile {
  readonly tests?: ReadonlyArray<{
    readonly alert_rule_test?: ReadonlyArray<{ readonly eval_time: string; readonly alertname: string; readonly exp_alerts?: readonly unknown[] }>;
    readonly promql_expr_test?: ReadonlyArray<{ readonly expr: string }>;
  }>;
}

async function readCoverage(files: readonly string[]): Promise<Coverage> {
  const coverage: Coverage = { alerts: new Map(), recordings: new Set() };
  for (const file of files) {
    const document = parse(await readFile(file, 'utf8')) as PromtoolTestFile;
    for (const group of document.tests ?? []) {
      for (const check of group.promql_expr_test ?? []) coverage.recordings.add(check.expr.trim());
      const byAlert = new Map<string, Array<{ at: number; firing: boolean }>>();
      for (const check of group.alert_rule_test ?? []) {
        const list = byAlert.get(check.alertname) ?? [];
        list.push({ at: durationSeconds(check.eval_time), firing: (check.exp_alerts ?? []).length > 0 });
        byAlert.set(check.alertname, list);
      }
      for (const [alert, checks] of byAlert) {
        const entry = coverage.alerts.get(alert) ?? { fires: false, quiet: false, resolves: false };
        const firingTimes = checks.filter((check) => check.firing).map((check) => check.at);
        const firstFiring = Math.min(...firingTimes);
        entry.fires ||= firingTimes.length > 0;
        entry.quiet ||= checks.some((check) => !check.firing && check.at < firstFiring);
        entry.resolves ||= checks.some((check) => !check.firing && firingTimes.some((at) => at < check.at));
        coverage.alerts.set(alert, entry);
      }
    }
  }
  return coverage;
}
