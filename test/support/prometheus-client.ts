import {
  asArray,
  asLabels,
  asNumber,
  asRecord,
  asString,
  labelsMatch,
  oneOf,
  optionalString,
  type Labels,
} from './json-guards.js';
import { waitFor, waitForObserved, type WaitOptions } from './wait-for.js';

export type { Labels } from './json-guards.js';

export interface Sample {
  /** Unix seconds. */
  readonly timestamp: number;
  readonly value: number;
}

export interface InstantSample extends Sample {
  readonly metric: Labels;
}

export interface RangeSeries {
  readonly metric: Labels;
  readonly values: readonly Sample[];
}

export type TargetHealth = 'up' | 'down' | 'unknown';

export interface TargetStatus {
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  readonly labels: Labels;
  readonly health: TargetHealth;
  readonly lastError: string;
}

export type PrometheusAlertState = 'pending' | 'firing' | 'inactive';

export interface PrometheusAlert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly state: PrometheusAlertState;
  readonly activeAt: string | undefined;
  readonly value: number;
}

export interface RuleStatus {
  readonly name: string;
  readonly type: 'alerting' | 'recording';
  readonly health: string;
  readonly lastError: string | undefined;
}

export interface RuleGroupStatus {
  readonly name: string;
  readonly file: string;
  readonly rules: readonly RuleStatus[];
}

export interface AlertMatcher {
  readonly alertname: string;
  /** Further labels the alert must carry with exactly these values. */
  readonly labels?: Labels;
}

export interface RangeQuery {
  readonly start: Date;
  readonly end: Date;
  readonly stepSeconds: number;
}

type WaitLimits = Omit<WaitOptions, 'description'>;

/** Typed access to the Prometheus HTTP API (v1) of any server, launched here or not. */
export class PrometheusClient {
  constructor(
    readonly baseUrl: string,
    private readonly waitDefaults: WaitLimits = {},
  ) {}

  async query(expr: string, at?: Date): Promise<InstantSample[]> {
    const params = new URLSearchParams({ query: expr });
    if (at !== undefined) params.set('time', String(at.getTime() / 1000));
    const data = await this.apiGet('/api/v1/query', params);
    const resultType = asString(data.resultType, 'query data.resultType');
    if (resultType === 'scalar') return [{ metric: {}, ...parseSample(data.result, 'query scalar') }];
    if (resultType !== 'vector') {
      throw new Error(`query ${JSON.stringify(expr)} returned a ${resultType}; use queryRange for range results`);
    }
    return asArray(data.result, 'query result').map((item, index) => {
      const series = asRecord(item, `query result[${index}]`);
      return { metric: asLabels(series.metric, `query result[${index}].metric`), ...parseSample(series.value, `query result[${index}].value`) };
    });
  }

  async queryRange(expr: string, range: RangeQuery): Promise<RangeSeries[]> {
    const params = new URLSearchParams({
      query: expr,
      start: String(range.start.getTime() / 1000),
      end: String(range.end.getTime() / 1000),
      step: String(range.stepSeconds),
    });
    const data = await this.apiGet('/api/v1/query_range', params);
    return asArray(data.result, 'query_range result').map((item, index) => {
      const where = `query_range result[${index}]`;
      const series = asRecord(item, where);
      return {
        metric: asLabels(series.metric, `${where}.metric`),
        values: asArray(series.values, `${where}.values`).map((pair, at) => parseSample(pair, `${where}.values[${at}]`)),
      };
    });
  }

  async targets(): Promise<TargetStatus[]> {
    const data = await this.apiGet('/api/v1/targets', new URLSearchParams({ state: 'active' }));
    return asArray(data.activeTargets, 'targets activeTargets').map((item, index) => {
      const where = `activeTargets[${index}]`;
      const target = asRecord(item, where);
      return {
        scrapePool: asString(target.scrapePool, `${where}.scrapePool`),
        scrapeUrl: asString(target.scrapeUrl, `${where}.scrapeUrl`),
        labels: asLabels(target.labels, `${where}.labels`),
        health: oneOf(target.health, ['up', 'down', 'unknown'], `${where}.health`),
        lastError: asString(target.lastError, `${where}.lastError`),
      };
    });
  }

  async alerts(): Promise<PrometheusAlert[]> {
    const data = await this.apiGet('/api/v1/alerts');
    return asArray(data.alerts, 'alerts').map((item, index) => {
      const where = `alerts[${index}]`;
      const alert = asRecord(item, where);
      return {
        labels: asLabels(alert.labels, `${where}.labels`),
        annotations: asLabels(alert.annotations, `${where}.annotations`),
        state: oneOf(alert.state, ['pending', 'firing', 'inactive'], `${where}.state`),
        activeAt: optionalString(alert.activeAt, `${where}.activeAt`),
        value: parseSampleValue(asString(alert.value, `${where}.value`), `${where}.value`),
      };
    });
  }

  async ruleGroups(): Promise<RuleGroupStatus[]> {
    const data = await this.apiGet('/api/v1/rules');
    return asArray(data.groups, 'rules groups').map((item, index) => {
      const where = `groups[${index}]`;
      const group = asRecord(item, where);
      return {
        name: asString(group.name, `${where}.name`),
        file: asString(group.file, `${where}.file`),
        rules: asArray(group.rules, `${where}.rules`).map((ruleItem, at) => {
          const ruleWhere = `${where}.rules[${at}]`;
          const rule = asRecord(ruleItem, ruleWhere);
          return {
            name: asString(rule.name, `${ruleWhere}.name`),
            type: oneOf(rule.type, ['alerting', 'recording'], `${ruleWhere}.type`),
            health: asString(rule.health, `${ruleWhere}.health`),
            lastError: optionalString(rule.lastError, `${ruleWhere}.lastError`),
          };
        }),
      };
    });
  }

  /** Waits until the scrape pool `job` has at least one target and all of them are up. */
  async waitForTargetsHealthy(job: string, limits: WaitLimits = {}): Promise<TargetStatus[]> {
    return waitForObserved(
      async () => (await this.targets()).filter((target) => target.scrapePool === job),
      (targets) => (targets.length > 0 && targets.every((target) => target.health === 'up') ? targets : undefined),
      { ...this.waitDefaults, ...limits, description: `scrape job ${JSON.stringify(job)} to be healthy`, show: describeTargets },
    );
  }

  /** Waits until an alert matching `matcher` is in `state`, and returns it. */
  async waitForAlert(matcher: AlertMatcher, state: 'pending' | 'firing', limits: WaitLimits = {}): Promise<PrometheusAlert> {
    return waitForObserved(
      () => this.alerts(),
      (alerts) => alerts.find((alert) => alert.state === state && alertMatches(alert, matcher)),
      { ...this.waitDefaults, ...limits, description: `alert ${describeMatcher(matcher)} to be ${state}`, show: describeAlerts },
    );
  }

  /** Waits until no alert matches `matcher` any more (it resolved or never fired). */
  async waitForNoAlert(matcher: AlertMatcher, limits: WaitLimits = {}): Promise<void> {
    await waitForObserved(
      () => this.alerts(),
      (alerts) => (alerts.some((alert) => alertMatches(alert, matcher)) ? undefined : true),
      { ...this.waitDefaults, ...limits, description: `alert ${describeMatcher(matcher)} to be gone`, show: describeAlerts },
    );
  }

  /** Waits until the instant query result satisfies `accept`, and returns that result. */
  async waitForQuery(
    expr: string,
    accept: (samples: readonly InstantSample[]) => boolean,
    limits: WaitLimits & { readonly description?: string } = {},
  ): Promise<InstantSample[]> {
    return waitFor(
      async () => {
        const samples = await this.query(expr);
        return accept(samples) ? samples : undefined;
      },
      { ...this.waitDefaults, ...limits, description: limits.description ?? `query ${JSON.stringify(expr)} to match` },
    );
  }

  async isReady(): Promise<boolean> {
    try {
      return (await fetch(new URL('/-/ready', this.baseUrl))).ok;
    } catch {
      return false;
    }
  }

  /** Re-reads the configuration and rule files; the server needs --web.enable-lifecycle. */
  async reload(): Promise<void> {
    const response = await fetch(new URL('/-/reload', this.baseUrl), { method: 'POST' });
    if (!response.ok) throw new Error(`Prometheus reload failed with HTTP ${response.status}: ${await response.text()}`);
  }

  private async apiGet(path: string, params?: URLSearchParams): Promise<Readonly<Record<string, unknown>>> {
    const url = new URL(path, this.baseUrl);
    if (params !== undefined) url.search = params.toString();
    const response = await fetch(url);
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`GET ${url.pathname}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
    }
    const envelope = asRecord(body, `GET ${url.pathname}`);
    if (envelope.status !== 'success') {
      throw new Error(`GET ${url.pathname}?${url.searchParams.toString()} failed: ${String(envelope.errorType)}: ${String(envelope.error)}`);
    }
    return asRecord(envelope.data, `GET ${url.pathname} data`);
  }
}

export function alertMatches(alert: { readonly labels: Labels }, matcher: AlertMatcher): boolean {
  return alert.labels.alertname === matcher.alertname && labelsMatch(alert.labels, matcher.labels ?? {});
}

/** Prometheus writes sample values as strings, including "NaN", "+Inf" and "-Inf". */
export function parseSampleValue(text: string, where: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  const value = Number(text);
  if (text.trim() === '' || Number.isNaN(value)) throw new TypeError(`${where}: not a sample value: ${JSON.stringify(text)}`);
  return value;
}

function parseSample(value: unknown, where: string): Sample {
  const pair = asArray(value, where);
  return { timestamp: asNumber(pair[0], `${where}[0]`), value: parseSampleValue(asString(pair[1], `${where}[1]`), `${where}[1]`) };
}

function describeMatcher(matcher: AlertMatcher): string {
  return JSON.stringify({ alertname: matcher.alertname, ...matcher.labels });
}

function describeTargets(targets: readonly TargetStatus[]): string {
  if (targets.length === 0) return 'no targets';
  return targets.map((target) => `${target.scrapeUrl} ${target.health}${target.lastError ? ` (${target.lastError})` : ''}`).join(', ');
}

function describeAlerts(alerts: readonly PrometheusAlert[]): string {
  if (alerts.length === 0) return 'no alerts';
  return alerts.map((alert) => `${JSON.stringify(alert.labels)} ${alert.state}`).join(', ');
}
