import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runPromtool } from '../../test/support/prometheus.js';
import { BEHAVIOURAL_RULES, OTHER_RULE_ALERT } from './behavioural-rules.js';
import { loadConfig, type ConfigOverlay } from './config.js';
import { durationSeconds } from './duration.js';
import { DEFAULT_CONFIG, FAST_CONFIG, PROMTOOL_TESTS_DIR, RENDERED_DIR } from './paths.js';
import { PROMETHEUS_RULE_FILE, RULES_FILE, writeRendered } from './render.js';
import { NOVEL_ITEM_ALERTS } from './groups/workload-alerts.js';
import { ruleGroups } from './rule-groups.js';
import { alertingRules, listFiles, readRuleFile, recordingRuleList } from './rule-files.js';
import { isAlertingRule } from './rule-types.js';
import { expandValues, groupIntervalSeconds, parseSeriesDescriptor, presentAt, readPromtoolTestFile, type PromtoolTestFile } from './promtool-test-file.js';

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

  it('covers every alert: it fires, stays quiet, resolves, and a named lookalike does not fire', async () => {
    const rules = alertingRules(await readRuleFile(renderedRules));
    const coverage = readCoverage(await readTestFiles(await promtoolTestFiles()), new Map(rules.map((rule) => [rule.alert, rule.expr])));
    expect(coverageGaps(coverage, rules.map((rule) => rule.alert))).toEqual([]);
  });

  it('fails the coverage check when the lookalikes of an alert are deleted', async () => {
    const rules = alertingRules(await readRuleFile(renderedRules));
    const exprs = new Map(rules.map((rule) => [rule.alert, rule.expr]));
    const documents = await readTestFiles(await promtoolTestFiles());
    for (const { alert } of rules) {
      // The test files as they would be with every series named a lookalike of this alert removed.
      const without = documents.map((document) => ({
        tests: (document.tests ?? []).map((group) => ({
          ...group,
          input_series: (group.input_series ?? []).filter((input) => parseSeriesDescriptor(input.series).labels[LOOKALIKE_LABEL] !== alert),
        })),
      }));
      expect(coverageGaps(readCoverage(without, exprs), rules.map((rule) => rule.alert)), alert).toContain(
        `${alert}: no named lookalike (an input series labelled ${LOOKALIKE_LABEL}="${alert}" that must not fire)`,
      );
    }
  });

  it('rejects a lookalike label that proves nothing', () => {
    const exprs = new Map([['A', 'time() - max by (item) (last_seen{job="t"}) < 900']]);
    const group = (series: string, values: string) => ({
      interval: '1m',
      input_series: [{ series, values }],
      alert_rule_test: [{ eval_time: '10m', alertname: 'A', exp_alerts: [] }],
    });
    const coverage = readCoverage(
      [
        {
          tests: [
            group('last_seen{job="t",lookalike="B"}', '1x20'),
            group('other_metric{job="t",lookalike="A"}', '1x20'),
            group('last_seen{job="t",lookalike="A"}', '1x2 stale'),
            group('last_seen{job="u",lookalike="A"}', '_x5 1x20'),
          ],
        },
      ],
      exprs,
    );
    expect(coverage.misplacedLookalikes).toEqual([
      'last_seen{job="t",lookalike="B"}: its group does not check B',
      'other_metric{job="t",lookalike="A"}: A does not read other_metric',
      'last_seen{job="t",lookalike="A"}: not present at any check of A',
    ]);
    expect(coverage.alerts.get('A')?.lookalikes).toEqual(['last_seen{job="u",lookalike="A"}']);
  });

  it('covers every recording rule', async () => {
    const coverage = readCoverage(await readTestFiles(await promtoolTestFiles()), new Map());
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

  // Selectors no config knob reaches: each alert's rule or category matcher, and the catch-all's
  // list of known rules. The mistake is made in the rendered rules, as a bad edit of the renderer would.
  const swapped = <T>(list: readonly T[], index: number): T => list[(index + 1) % list.length] as T;
  const withoutKnown = (id: string) => (expr: string): string =>
    expr.replace(/rule!~`([^`]*)`/, (_, known: string) => `rule!~\`${known.split('|').filter((entry) => entry !== id).join('|')}\``);
  const selectorMutations: ReadonlyArray<readonly [name: string, alert: string, mutate: (expr: string) => string]> = [
    ...BEHAVIOURAL_RULES.flatMap((rule, index) => [
      [`${rule.alert} selecting ${swapped(BEHAVIOURAL_RULES, index).id} hits`, rule.alert, (expr: string) => expr.replace(`rule="${rule.id}"`, `rule="${swapped(BEHAVIOURAL_RULES, index).id}"`)] as const,
      [`${rule.alert} without its rule matcher`, rule.alert, (expr: string) => expr.replace(`, rule="${rule.id}"`, '')] as const,
      [`${OTHER_RULE_ALERT} taking ${rule.id} for a rule it does not know`, OTHER_RULE_ALERT, withoutKnown(rule.id)] as const,
    ]),
    ...NOVEL_ITEM_ALERTS.map(
      (spec, index) =>
        [`${spec.alert} selecting category ${swapped(NOVEL_ITEM_ALERTS, index).category}`, spec.alert, (expr: string) => expr.replace(`category="${spec.category}"`, `category="${swapped(NOVEL_ITEM_ALERTS, index).category}"`)] as const,
    ),
  ];
  it.concurrent.for(selectorMutations)('fail on %s', async ([name, alert, mutate], { expect: check }) => {
    const dir = join(scratch, `selector-${name.replace(/\W+/g, '-')}`);
    const groups = ruleGroups(await loadConfig([DEFAULT_CONFIG]));
    let changed = 0;
    const mutated = groups.map((group) => ({
      ...group,
      rules: group.rules.map((rule) => {
        if (!isAlertingRule(rule) || rule.alert !== alert) return rule;
        const expr = mutate(rule.expr);
        if (expr !== rule.expr) changed++;
        return { ...rule, expr };
      }),
    }));
    // A mutation that no longer applies (the expression changed shape) would pass for nothing.
    check(changed, `${name}: the mutation did not change ${alert}`).toBe(1);
    await mkdir(join(dir, 'rendered'), { recursive: true });
    await writeFile(join(dir, 'rendered', RULES_FILE), stringify({ groups: mutated }));
    await cp(PROMTOOL_TESTS_DIR, join(dir, 'promtool-tests'), { recursive: true });
    // Only the files that test this alert: the mutation changes nothing else, and promtool is the slow part.
    const files = [];
    for (const file of await listFiles(join(dir, 'promtool-tests'), '.test.yaml')) {
      if ((await readFile(file, 'utf8')).includes(`alertname: ${alert}\n`)) files.push(file);
    }
    check(files.length, `no promtool test file checks ${alert}`).toBeGreaterThan(0);
    const result = await runPromtool(['test', 'rules', ...files]);
    check(result.exitCode, `promtool test rules passed with ${name}`).not.toBe(0);
    // Failing on the mutated alert's own expectations, not on a rule file promtool cannot load.
    check(result.output).toContain(`alertname: ${alert}, time:`);
  });
});

interface AlertCoverage {
  fires: boolean;
  quiet: boolean;
  resolves: boolean;
  /** Named lookalike series that are checked: each resembles the trigger and must not fire. */
  lookalikes: string[];
}

interface Coverage {
  readonly alerts: Map<string, AlertCoverage>;
  readonly recordings: Set<string>;
  /** Lookalike labels that prove nothing (wrong alert, unrelated metric, never checked). */
  readonly misplacedLookalikes: string[];
}

/** The label that names an input series as a lookalike of one alert. */
const LOOKALIKE_LABEL = 'lookalike';

async function readTestFiles(files: readonly string[]): Promise<PromtoolTestFile[]> {
  return Promise.all(files.map(readPromtoolTestFile));
}

/**
 * What the promtool tests check, per alert: a firing case, an empty result before the first
 * firing, an empty result after one, and named lookalikes. A lookalike is an input series
 * labelled lookalike="<Alert>" in a test group that checks that alert; it must be of a metric
 * the alert's expression reads, and present (within the lookback) at one of the group's
 * checks of that alert, where promtool's exact comparison of exp_alerts proves it did not fire.
 * The label is aggregated away by every workload and rule alert, and no lookalike fires, so it
 * never shows up in expected labels.
 */
function readCoverage(documents: readonly PromtoolTestFile[], alertExprs: ReadonlyMap<string, string>): Coverage {
  const coverage: Coverage = { alerts: new Map(), recordings: new Set(), misplacedLookalikes: [] };
  const entryFor = (alert: string): AlertCoverage => {
    const entry = coverage.alerts.get(alert) ?? { fires: false, quiet: false, resolves: false, lookalikes: [] };
    coverage.alerts.set(alert, entry);
    return entry;
  };
  for (const document of documents) {
    for (const group of document.tests ?? []) {
      for (const check of group.promql_expr_test ?? []) coverage.recordings.add(check.expr.trim());
      const byAlert = new Map<string, Array<{ at: number; firing: boolean }>>();
      for (const check of group.alert_rule_test ?? []) {
        const list = byAlert.get(check.alertname) ?? [];
        list.push({ at: durationSeconds(check.eval_time), firing: (check.exp_alerts ?? []).length > 0 });
        byAlert.set(check.alertname, list);
      }
      for (const [alert, checks] of byAlert) {
        const entry = entryFor(alert);
        const firingTimes = checks.filter((check) => check.firing).map((check) => check.at);
        const firstFiring = Math.min(...firingTimes);
        entry.fires ||= firingTimes.length > 0;
        entry.quiet ||= checks.some((check) => !check.firing && check.at < firstFiring);
        entry.resolves ||= checks.some((check) => !check.firing && firingTimes.some((at) => at < check.at));
      }
      const interval = groupIntervalSeconds(group);
      for (const input of group.input_series ?? []) {
        const { metric, labels } = parseSeriesDescriptor(input.series);
        const alert = labels[LOOKALIKE_LABEL];
        if (alert === undefined) continue;
        const checks = byAlert.get(alert);
        const expr = alertExprs.get(alert);
        const samples = expandValues(input.values);
        if (checks === undefined || expr === undefined) {
          coverage.misplacedLookalikes.push(`${input.series}: its group does not check ${alert}`);
        } else if (!new RegExp(`(?<![\\w:])${metric}(?![\\w:])`).test(expr)) {
          coverage.misplacedLookalikes.push(`${input.series}: ${alert} does not read ${metric}`);
        } else if (!checks.some((check) => presentAt(samples, interval, check.at))) {
          coverage.misplacedLookalikes.push(`${input.series}: not present at any check of ${alert}`);
        } else {
          entryFor(alert).lookalikes.push(input.series);
        }
      }
    }
  }
  return coverage;
}

function coverageGaps(coverage: Coverage, alerts: readonly string[]): string[] {
  const gaps: string[] = [];
  for (const alert of alerts) {
    const seen = coverage.alerts.get(alert);
    if (seen === undefined) gaps.push(`${alert}: no test`);
    else {
      if (!seen.fires) gaps.push(`${alert}: never expected to fire`);
      if (!seen.quiet) gaps.push(`${alert}: never expected to stay quiet before firing`);
      if (!seen.resolves) gaps.push(`${alert}: never expected to resolve after firing`);
      if (seen.lookalikes.length === 0) gaps.push(`${alert}: no named lookalike (an input series labelled ${LOOKALIKE_LABEL}="${alert}" that must not fire)`);
    }
  }
  for (const tested of coverage.alerts.keys()) if (!alerts.includes(tested)) gaps.push(`${tested}: tested but not in the rules`);
  return [...gaps, ...coverage.misplacedLookalikes];
}
