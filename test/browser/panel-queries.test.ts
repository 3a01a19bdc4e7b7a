/**
 * Runs the PromQL of every app page panel, page variable, dashboard panel and dashboard
 * variable against a real Prometheus 2.42 holding the learning-then-anomaly scenario, and
 * checks each answer against the scenario model: which series come back (by label) and what
 * values they carry. A query without an expectation fails, so new panels cannot slip by.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelValueOptions } from '../../grafana-plugin/src/data/label-values.js';
import { allPages, type PageName } from '../../grafana-plugin/src/pages/page-panels.js';
import { DEFAULT_SCRAPE_INTERVAL_SECONDS, stepSeconds, type MacroContext } from '../../grafana-plugin/src/queries/macros.js';
import * as q from '../../grafana-plugin/src/queries/index.js';
import type { InstantSample, RangeSeries } from '../support/prometheus.js';
import {
  CATEGORIES,
  DURATION_SECONDS,
  learningThenAnomalyScenario,
  SCRAPE_INTERVAL_SECONDS,
  type Scenario,
  type ScenarioWorkload,
} from './fixtures/learning-then-anomaly.js';
import { ALL, interpolate, type VariableValue } from './interpolate.js';
import { startScenarioPrometheus, type ScenarioPrometheus } from './scenario-prometheus.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAX_DATA_POINTS = 300;

type Mode = 'instant' | 'range';
type Result = { readonly mode: 'instant'; readonly samples: readonly InstantSample[] } | { readonly mode: 'range'; readonly series: readonly RangeSeries[] };

interface QueryCase {
  readonly where: string;
  readonly expr: string;
  readonly mode: Mode;
  /** The panel's max data points, which sets the step and `$__interval`. */
  readonly maxDataPoints: number;
  readonly variables: Readonly<Record<string, VariableValue>>;
}

interface VariableCase {
  readonly where: string;
  readonly series: string;
  readonly label: string;
  readonly includeEmpty: boolean;
  readonly variables: Readonly<Record<string, VariableValue>>;
  readonly expected: readonly string[];
}

// --- What the pages and dashboards ask, with the variable values a user would have ---------

const NGINX = { namespace: '', workload: 'system.slice/nginx.service', workload_type: 'cgroup', container: '' };

const PAGE_VARIABLES: Record<PageName, Record<string, VariableValue>> = {
  overview: { namespace: ALL, workload: ALL },
  detections: { namespace: ALL, workload: ALL, severity: ALL, rule: ALL, category: ALL },
  workload: {
    namespace: { single: NGINX.namespace },
    workload: { single: NGINX.workload },
    workload_type: { single: NGINX.workload_type },
    container: { single: NGINX.container },
  },
};

const DASHBOARD_VARIABLES: Record<string, Record<string, VariableValue>> = {
  'telltale-overview': { namespace: ALL, workload: ALL },
  'telltale-workload-detail': { namespace: ALL, workload: { single: NGINX.workload }, workload_type: ALL, container: ALL },
  'telltale-sensor-health': { instance: ALL, namespace: ALL, workload: ALL },
};

function pageCases(): QueryCase[] {
  const cases: QueryCase[] = [];
  for (const [page, def] of Object.entries(allPages()) as Array<[PageName, ReturnType<typeof allPages>[PageName]]>) {
    for (const panel of def.panels) {
      for (const query of panel.queries) {
        cases.push({
          where: `page ${page} / ${panel.key} / ${query.refId}`,
          expr: query.expr,
          mode: query.instant ? 'instant' : 'range',
          maxDataPoints: panel.maxDataPoints ?? MAX_DATA_POINTS,
          variables: PAGE_VARIABLES[page],
        });
      }
    }
  }
  return cases;
}

interface DashboardJson {
  readonly uid: string;
  readonly panels: ReadonlyArray<{
    readonly title: string;
    readonly maxDataPoints?: number;
    readonly targets: ReadonlyArray<{ refId: string; expr: string; instant?: boolean }>;
  }>;
  readonly templating: { readonly list: ReadonlyArray<{ readonly name: string; readonly type: string; readonly query?: unknown }> };
}

function dashboards(): DashboardJson[] {
  return ['telltale-overview', 'telltale-workload-detail', 'telltale-sensor-health'].map(
    (uid) => JSON.parse(readFileSync(join(repoRoot, 'dashboards', `${uid}.json`), 'utf8')) as DashboardJson,
  );
}

function dashboardCases(): QueryCase[] {
  return dashboards().flatMap((d) =>
    d.panels.flatMap((panel) =>
      panel.targets.map((t) => ({
        where: `dashboard ${d.uid} / ${panel.title} / ${t.refId}`,
        expr: t.expr,
        mode: t.instant ? ('instant' as const) : ('range' as const),
        maxDataPoints: panel.maxDataPoints ?? MAX_DATA_POINTS,
        variables: DASHBOARD_VARIABLES[d.uid] ?? {},
      })),
    ),
  );
}

// --- Running queries ------------------------------------------------------------------------

let scenario: Scenario;
let prometheus: ScenarioPrometheus;

function macroContext(maxDataPoints = MAX_DATA_POINTS): MacroContext {
  return {
    rangeSeconds: DURATION_SECONDS,
    intervalSeconds: stepSeconds(DURATION_SECONDS, maxDataPoints, DEFAULT_SCRAPE_INTERVAL_SECONDS),
    scrapeIntervalSeconds: DEFAULT_SCRAPE_INTERVAL_SECONDS,
  };
}

/** The range grid the app uses: step from the range, start and end aligned to the step. */
function grid(maxDataPoints = MAX_DATA_POINTS): { start: number; end: number; step: number } {
  const step = macroContext(maxDataPoints).intervalSeconds;
  return { start: Math.floor(scenario.start / step) * step, end: Math.floor(scenario.end / step) * step, step };
}

async function run(c: QueryCase): Promise<Result> {
  const expr = interpolate(c.expr, c.variables, macroContext(c.maxDataPoints));
  const client = prometheus.server.client;
  if (c.mode === 'instant') {
    return { mode: 'instant', samples: await client.query(expr, new Date(scenario.end * 1000)) };
  }
  const { start, end, step } = grid(c.maxDataPoints);
  return { mode: 'range', series: await client.queryRange(expr, { start: new Date(start * 1000), end: new Date(end * 1000), stepSeconds: step }) };
}

async function labelValues(c: VariableCase): Promise<string[]> {
  const match = interpolate(c.series, c.variables, macroContext());
  const params = new URLSearchParams({ 'match[]': match, start: String(scenario.start), end: String(scenario.end) });
  const response = await fetch(`${prometheus.server.url}/api/v1/series?${params.toString()}`);
  const body = (await response.json()) as { status: string; data: Array<Record<string, string>>; error?: string };
  if (body.status !== 'success') throw new Error(`series ${match}: ${body.error ?? response.status}`);
  return labelValueOptions(body.data, c.label, c.includeEmpty).map((o) => o.value);
}

// --- Reading results --------------------------------------------------------------------------

function key(labels: Readonly<Record<string, string>>, names: readonly string[]): string {
  return names.map((n) => labels[n] ?? '').join('|');
}

function instantByKey(r: Result, names: readonly string[]): Record<string, number> {
  if (r.mode !== 'instant') throw new Error('expected an instant result');
  const out: Record<string, number> = {};
  for (const s of r.samples) {
    const k = key(s.metric, names);
    expect(out[k], `two samples for ${k}`).toBeUndefined();
    out[k] = s.value;
  }
  return out;
}

function rangeBy(r: Result, names: readonly string[], reduce: (values: number[]) => number): Record<string, number> {
  if (r.mode !== 'range') throw new Error('expected a range result');
  const out: Record<string, number> = {};
  for (const s of r.series) {
    const k = key(s.metric, names);
    expect(out[k], `two series for ${k}`).toBeUndefined();
    out[k] = reduce(s.values.map((v) => v.value).filter((v) => !Number.isNaN(v)));
  }
  return out;
}

const last = (values: number[]): number => values[values.length - 1] ?? Number.NaN;
const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
const max = (values: number[]): number => Math.max(...values);

/** Same keys; every value within 10^-digits/2 of the expected one. */
function expectClose(actual: Record<string, number>, expected: Record<string, number>, digits = 3): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [k, v] of Object.entries(expected)) expect(actual[k], k).toBeCloseTo(v, digits);
}

/** Same keys; every value within `fraction` of the expected one. */
function expectWithin(actual: Record<string, number>, expected: Record<string, number>, fraction: number): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [k, v] of Object.entries(expected)) {
    expect(Math.abs((actual[k] ?? Number.NaN) - v), `${k}: ${actual[k]} vs ${v}`).toBeLessThanOrEqual(Math.abs(v) * fraction + 1e-9);
  }
}

// --- The scenario's answers -------------------------------------------------------------------

const END_MINUTE = DURATION_SECONDS / 60;

function w(key: string): ScenarioWorkload {
  return scenario.workload(key);
}

/** The minute of the sample Prometheus uses at time t (latest at or before it). */
function sampleMinute(t: number): number {
  return (Math.floor((t - scenario.start) / SCRAPE_INTERVAL_SECONDS) * SCRAPE_INTERVAL_SECONDS) / 60;
}

function lastOf(family: string, labels: Readonly<Record<string, string>> = {}): number {
  return scenario.series
    .filter((s) => s.family === family && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + (s.samples[s.samples.length - 1]?.v ?? 0), 0);
}

function ruleHitCountsOf(workloads: readonly ScenarioWorkload[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of workloads) for (const h of x.ruleHits) out[`${h.rule}|${h.severity}`] = (out[`${h.rule}|${h.severity}`] ?? 0) + 1;
  return out;
}

function countsBy<T>(items: readonly T[], keyOf: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[keyOf(item)] = (out[keyOf(item)] ?? 0) + 1;
  return out;
}

/** What the exporter counted as anomalies: only ready or locked workloads have them. */
function anomalies(): Array<{ workload: ScenarioWorkload; category: string; item: string; minute: number }> {
  return scenario.workloads.flatMap((x) => scenario.anomalies(x).map((a) => ({ workload: x, ...a })));
}

type Check = (r: Result) => void;

/** Expectations by mode and raw (uninterpolated) expression. */
function expectations(): Map<string, Check> {
  const map = new Map<string, Check>();
  const add = (mode: Mode, expr: string, check: Check): void => {
    map.set(`${mode} ${expr}`, check);
  };
  const m = q.filterByVariables();
  const severitySeverity = (hits: Record<string, number>): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(hits)) {
      const severity = k.split('|')[1] ?? '';
      out[severity] = (out[severity] ?? 0) + v;
    }
    return out;
  };
  const allHits = ruleHitCountsOf(scenario.workloads);
  const anomaliesByCategory = countsBy(anomalies(), (a) => a.category);
  const lastStepMinute = sampleMinute(grid().end);

  // Overview (page and dashboard share these).
  add('instant', q.workloadsByState(m), (r) => expectClose(instantByKey(r, ['state']), { learning: 2, ready: 3, locked: 1 }));
  add('instant', q.learningOverdueCount(m), (r) => expectClose(instantByKey(r, []), { '': 1 }));
  add('instant', q.eventLossRatio([], [], '$__range'), (r) => {
    const lost = lastOf('telltale_bpf_events_lost');
    const delivered = lastOf('telltale_bpf_events');
    expectWithin(instantByKey(r, []), { '': lost / (lost + delivered) }, 0.03);
  });
  add('instant', q.loaderRestarts([], []), (r) => expectClose(instantByKey(r, []), { '': 1 }));
  add('range', q.topWorkloadsByScore(m, 5), (r) => {
    // Learning workloads have no calibrated score yet, so four ready or locked ones rank.
    const lastScores = rangeBy(r, ['workload'], last);
    const expected: Record<string, number> = {};
    for (const k of ['nginx', 'redis', 'payments-api', 'shop-frontend']) expected[w(k).labels.workload] = scenario.scoreAt(w(k), lastStepMinute) ?? Number.NaN;
    expectClose(lastScores, expected, 3);
    expect(rangeBy(r, ['workload'], max)[NGINX.workload]).toBeGreaterThan(0.95);
  });
  add('instant', q.detectionsByRuleAndSeverity(m), (r) => expectClose(instantByKey(r, ['rule', 'severity']), allHits, 6));
  add('range', q.detectionsOverTime(m), (r) => expectClose(rangeBy(r, ['severity'], sum), severitySeverity(allHits), 6));
  add('instant', q.anomaliesByCategory(m), (r) => expectClose(instantByKey(r, ['category']), anomaliesByCategory, 6));
  add('instant', q.learningProgressOfLearning(m), (r) =>
    expectClose(instantByKey(r, ['workload']), {
      [w('build-runner').labels.workload]: scenario.progressAt(w('build-runner'), END_MINUTE),
      [w('cron').labels.workload]: 1,
    }),
  );
  add('range', q.eventsLostRate(), (r) => {
    expect(Object.keys(rangeBy(r, ['reason'], last)).sort()).toEqual(['decode_error', 'map_full', 'read_fault', 'ringbuf_full']);
    expectClose(rangeBy(r, ['reason'], max), { ringbuf_full: 40, map_full: 1 / 15, read_fault: 0, decode_error: 0 }, 3);
  });
  const ruleHitRows = (scale: number) => (r: Result) => {
    const expected: Record<string, number> = {};
    for (const x of scenario.workloads) {
      for (const h of x.ruleHits) {
        const k = `${x.labels.workload}|${h.rule}|${h.severity}|${h.item}`;
        expected[k] = Math.max(expected[k] ?? 0, scenario.at(h.atMinute) * scale);
      }
    }
    expectClose(instantByKey(r, ['workload', 'rule', 'severity', 'item']), expected, 0);
  };
  add('instant', q.secondsToMilliseconds(q.ruleHitsInRange(m)), ruleHitRows(1000));

  // Detections page.
  const rules = [...m, q.matcher('severity', '=~', '$severity'), q.matcher('rule', '=~', '$rule')];
  const anomalyMatchers = [...m, q.matcher('category', '=~', '$category')];
  add('range', q.detectionsOverTime(rules), (r) => expectClose(rangeBy(r, ['severity'], sum), severitySeverity(allHits), 6));
  add('range', q.anomaliesOverTime(anomalyMatchers), (r) => expectClose(rangeBy(r, ['category'], sum), anomaliesByCategory, 6));
  add('instant', q.ruleHitsInRange(rules), ruleHitRows(1));
  add('instant', q.anomaliesInRange(anomalyMatchers), (r) => {
    const expected: Record<string, number> = {};
    for (const a of anomalies()) expected[`${a.workload.labels.workload}|${a.category}|${a.item}`] = scenario.at(a.minute);
    expectClose(instantByKey(r, ['workload', 'category', 'item']), expected, 0);
  });

  // One workload (nginx): the Workload page pins it exactly, the dashboard by `$workload`.
  const nginx = w('nginx');
  const pagePinned = q.exactWorkloadVariables();
  for (const pinned of [pagePinned, q.dashboardWorkloadVariables()]) {
    add('instant', q.currentProfileState(pinned), (r) => expectClose(instantByKey(r, ['workload', 'state']), { [`${NGINX.workload}|ready`]: 1 }));
    add('instant', q.learningProgress(pinned), (r) => expectClose(instantByKey(r, ['workload']), { [NGINX.workload]: 1 }));
    add('instant', q.workloadScore(pinned), (r) => expectClose(instantByKey(r, ['workload']), { [NGINX.workload]: scenario.scoreAt(nginx, END_MINUTE) ?? Number.NaN }, 4));
    add('range', q.workloadScore(pinned), (r) => {
      expectClose(rangeBy(r, ['workload'], last), { [NGINX.workload]: scenario.scoreAt(nginx, lastStepMinute) ?? Number.NaN }, 4);
      // No calibrated score while learning: the series starts when the profile is ready.
      if (r.mode === 'range') expect(r.series[0]?.values[0]?.timestamp).toBeGreaterThanOrEqual(scenario.at(nginx.readyMinute ?? 0) - grid().step);
    });
    add('instant', q.anomalyCount(pinned), (r) => expectClose(instantByKey(r, []), { '': scenario.anomalies(nginx).length }, 6));
    add('instant', q.learningOverdue(pinned), (r) => expectClose(instantByKey(r, []), { '': 0 }));
    add('instant', q.scoreSuppressed(pinned), (r) => expectClose(instantByKey(r, []), { '': 0 }));
    add('range', q.categoryScores(pinned), (r) => {
      const expected: Record<string, number> = {};
      for (const c of CATEGORIES) expected[c] = scenario.categoryScoreAt(nginx, c, lastStepMinute) ?? Number.NaN;
      expectClose(rangeBy(r, ['category'], last), expected, 4);
      expect(rangeBy(r, ['category'], max)['exec']).toBeGreaterThan(0.95);
    });
    add('instant', q.profileEntriesByCategory(pinned), (r) => {
      const expected: Record<string, number> = {};
      for (const c of CATEGORIES) expected[c] = scenario.entryCountAt(nginx, c, END_MINUTE);
      expectClose(instantByKey(r, ['category']), expected, 6);
    });
    add('instant', q.ruleHitCounts(pinned), (r) => expectClose(instantByKey(r, ['rule', 'severity']), ruleHitCountsOf([nginx]), 6));
    const novelItems = (scale: number) => (r: Result) => {
      const expected: Record<string, number> = {};
      for (const a of scenario.anomalies(nginx)) expected[`${a.category}|${a.item}`] = scenario.at(a.minute) * scale;
      expectClose(instantByKey(r, ['category', 'item']), expected, 0);
    };
    const ruleItems = (scale: number) => (r: Result) => {
      const expected: Record<string, number> = {};
      for (const h of nginx.ruleHits) expected[`${h.rule}|${h.severity}|${h.item}`] = Math.max(expected[`${h.rule}|${h.severity}|${h.item}`] ?? 0, scenario.at(h.atMinute) * scale);
      expectClose(instantByKey(r, ['rule', 'severity', 'item']), expected, 0);
    };
    if (pinned === pagePinned) {
      add('instant', q.recentNovelItems(pinned), novelItems(1));
      add('instant', q.recentRuleHits(pinned), ruleItems(1));
    } else {
      // Dashboards show Unix milliseconds, which Grafana's date units expect.
      add('instant', q.secondsToMilliseconds(q.recentNovelItems(pinned)), novelItems(1000));
      add('instant', q.secondsToMilliseconds(q.recentRuleHits(pinned)), ruleItems(1000));
    }
  }

  // Sensor health.
  const node = [q.matcher('instance', '=~', '$instance')];
  const wl = [...m, ...node];
  const rateOf = (instance: string, kind: string): number => lastOf('telltale_bpf_events', { instance, kind }) / DURATION_SECONDS;
  add('range', q.eventsDeliveredRate(node, ['instance']), (r) => {
    const expected: Record<string, number> = {};
    for (const instance of ['node-a:9310', 'node-b:9310']) {
      for (const kind of ['exec', 'file', 'syscall', 'network', 'dns', 'cgroup']) expected[`${instance}|${kind}`] = rateOf(instance, kind);
    }
    expectWithin(rangeBy(r, ['instance', 'kind'], last), expected, 0.01);
  });
  add('range', q.eventsLostRate(node, ['instance']), (r) => {
    const maxes = rangeBy(r, ['instance', 'reason'], max);
    expect(Object.keys(maxes)).toHaveLength(8);
    expect(maxes['node-b:9310|ringbuf_full']).toBeCloseTo(40, 1);
    expect(maxes['node-a:9310|map_full']).toBeCloseTo(1 / 15, 4);
    expect(maxes['node-a:9310|ringbuf_full']).toBe(0);
  });
  add('range', q.eventLossRatio(node, ['instance']), (r) => {
    const deliveredB = ['exec', 'file', 'syscall', 'network', 'dns', 'cgroup'].reduce((t, k) => t + rateOf('node-b:9310', k), 0);
    expectWithin(rangeBy(r, ['instance'], max), { 'node-a:9310': 1 / 15 / (1 / 15 + 244), 'node-b:9310': 40 / (40 + deliveredB) }, 0.02);
  });
  add('instant', q.loaderRestarts(node), (r) => expectClose(instantByKey(r, ['instance']), { 'node-a:9310': 1, 'node-b:9310': 0 }, 6));
  add('instant', q.profileStoreErrors(node), (r) => expectClose(instantByKey(r, ['operation']), { load: 0, save: 1 }, 6));
  add('range', q.bpfMapEntries(node), (r) => {
    const expected: Record<string, number> = {};
    for (const s of scenario.series.filter((x) => x.family === 'telltale_bpf_map_entries')) {
      expected[`${s.labels['instance'] ?? ''}|${s.labels['map'] ?? ''}`] = s.samples[s.samples.length - 1]?.v ?? Number.NaN;
    }
    expectClose(rangeBy(r, ['instance', 'map'], last), expected, 6);
  });
  add('range', q.unattributedRate(node, ['instance']), (r) =>
    expectClose(rangeBy(r, ['instance', 'category'], last), { 'node-a:9310|exec': 1 / 15, 'node-a:9310|file': 2 / 15, 'node-b:9310|exec': 1 / 15, 'node-b:9310|file': 2 / 15 }, 4),
  );
  add('range', q.scoreSuppressedByWorkload(wl), (r) => {
    const expected: Record<string, number> = {};
    for (const x of scenario.workloads) expected[x.labels.workload] = x.suppressed ? 1 : 0;
    expectClose(rangeBy(r, ['workload'], max), expected, 6);
    expect(rangeBy(r, ['workload'], last)['frontend']).toBe(0);
  });
  add('range', q.observationsRate(wl), (r) => {
    const maxes = rangeBy(r, ['category'], max);
    expect(Object.keys(maxes).sort()).toEqual([...CATEGORIES].sort());
    for (const v of Object.values(maxes)) expect(v).toBeGreaterThan(0);
  });
  add('instant', q.generalizationOverflowByWorkload(wl), (r) => expectClose(instantByKey(r, ['workload', 'category']), { 'system.slice/cron.service|file': Math.floor(END_MINUTE / 8) }, 6));
  add('range', q.sinkEventsRate(node), (r) => {
    const maxes = rangeBy(r, ['sink', 'outcome'], max);
    expect(Object.keys(maxes).sort()).toEqual(['webhook|dropped', 'webhook|failed', 'webhook|sent']);
    expect(maxes['webhook|sent']).toBeGreaterThan(0);
    expect(maxes['webhook|failed']).toBe(0);
  });
  add('range', q.sinkQueueLength(node), (r) => expectClose(rangeBy(r, ['sink'], max), { webhook: 0 }, 6));
  add('instant', q.capabilityMode(node), (r) => expectClose(instantByKey(r, ['instance', 'mode']), { 'node-a:9310|hook': 1, 'node-b:9310|derived': 1 }, 6));
  add('instant', q.exporterVersions(node), (r) => expectClose(instantByKey(r, ['version']), { '0.1.0': 2 }, 6));
  return map;
}

function variableCases(): VariableCase[] {
  const standalone = scenario.workloads.filter((x) => x.labels.namespace === '').map((x) => x.labels.workload).sort();
  const allWorkloads = scenario.workloads.map((x) => x.labels.workload).sort();
  const expectedFor = (page: PageName, name: string): string[] => {
    switch (`${page}/${name}`) {
      case 'overview/namespace':
      case 'detections/namespace':
        return ['payments', 'shop'];
      case 'overview/workload':
      case 'detections/workload':
        return allWorkloads;
      case 'detections/rule':
        return [...new Set(scenario.workloads.flatMap((x) => x.ruleHits.map((h) => h.rule)))].sort();
      case 'workload/namespace':
        return ['', 'payments', 'shop'];
      case 'workload/workload':
        return standalone;
      case 'workload/workload_type':
        return ['cgroup'];
      case 'workload/container':
        return [''];
      default:
        throw new Error(`no expected options for ${page}/${name}`);
    }
  };
  const cases: VariableCase[] = [];
  for (const [page, def] of Object.entries(allPages()) as Array<[PageName, ReturnType<typeof allPages>[PageName]]>) {
    for (const v of def.variables) {
      if (v.kind === 'fixed') continue;
      cases.push({
        where: `page ${page} / $${v.name}`,
        series: v.source.series,
        label: v.source.label,
        includeEmpty: v.kind === 'pin',
        variables: PAGE_VARIABLES[page],
        expected: expectedFor(page, v.name),
      });
    }
  }
  const dashboardExpected: Record<string, string[]> = {
    'telltale-overview/namespace': ['payments', 'shop'],
    'telltale-overview/workload': allWorkloads,
    'telltale-workload-detail/namespace': ['payments', 'shop'],
    'telltale-workload-detail/workload': allWorkloads,
    'telltale-workload-detail/workload_type': ['cgroup'],
    // nginx is a cgroup: no container label, so the only choice is "All".
    'telltale-workload-detail/container': [],
    'telltale-sensor-health/instance': ['node-a:9310', 'node-b:9310'],
    'telltale-sensor-health/namespace': ['payments', 'shop'],
    'telltale-sensor-health/workload': allWorkloads,
  };
  for (const d of dashboards()) {
    for (const v of d.templating.list.filter((x) => x.type === 'query')) {
      const parsed = /^label_values\((.+), ([a-z_]+)\)$/.exec(String(v.query));
      if (!parsed) throw new Error(`${d.uid} $${v.name}: not a label_values query: ${String(v.query)}`);
      const expected = dashboardExpected[`${d.uid}/${v.name}`];
      if (!expected) throw new Error(`no expected options for ${d.uid}/${v.name}`);
      cases.push({
        where: `dashboard ${d.uid} / $${v.name}`,
        series: parsed[1] ?? '',
        label: parsed[2] ?? '',
        includeEmpty: false,
        variables: DASHBOARD_VARIABLES[d.uid] ?? {},
        expected,
      });
    }
  }
  return cases;
}

// --- The tests ----------------------------------------------------------------------------------

const queryCases = [...pageCases(), ...dashboardCases()];
let checks: Map<string, Check>;
const used = new Set<string>();

beforeAll(async () => {
  scenario = learningThenAnomalyScenario(Date.now() / 1000);
  prometheus = await startScenarioPrometheus(scenario);
  checks = expectations();
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
});

describe('PromQL of every panel against the learning-then-anomaly scenario', () => {
  it.each(queryCases.map((c) => [c.where, c] as const))('%s', async (_where, c) => {
    const check = checks.get(`${c.mode} ${c.expr}`);
    expect(check, `no expectation for this ${c.mode} query: ${c.expr}`).toBeDefined();
    used.add(`${c.mode} ${c.expr}`);
    check?.(await run(c));
  });

  it('has no expectation that no panel uses', () => {
    const unused = [...checks.keys()].filter((k) => !queryCases.some((c) => `${c.mode} ${c.expr}` === k));
    expect(unused).toEqual([]);
  });
});

describe('variable options against the scenario', () => {
  it('covers every query variable of every page and dashboard', () => {
    expect(variableCases().length).toBe(
      Object.values(allPages()).reduce((n, p) => n + p.variables.filter((v) => v.kind !== 'fixed').length, 0) +
        dashboards().reduce((n, d) => n + d.templating.list.filter((v) => v.type === 'query').length, 0),
    );
  });

  it('offers the expected values for each variable', async () => {
    for (const c of variableCases()) {
      expect(await labelValues(c), c.where).toEqual(c.expected);
    }
  });
});
