import { fetchJson } from './fetch-json.js';
import { isRecord } from './json.js';

export type Labels = Record<string, string>;

export interface RangeSeries {
  readonly labels: Labels;
  /** [Unix seconds, value] pairs, ascending. */
  readonly points: ReadonlyArray<readonly [number, number]>;
}

export interface InstantSample {
  readonly labels: Labels;
  readonly time: number;
  readonly value: number;
}

/**
 * Prometheus's HTTP API behind Grafana's data source proxy
 * (`/api/datasources/proxy/uid/<uid>/api/v1/...`), which forwards to the data source URL
 * with the data source's own authentication.
 */
export class PrometheusClient {
  private readonly base: string;

  constructor(readonly datasourceUid: string) {
    if (datasourceUid.trim() === '') {
      throw new Error('No Prometheus data source selected: choose one on the Config page or in the data source picker');
    }
    this.base = `/api/datasources/proxy/uid/${encodeURIComponent(datasourceUid)}/api/v1`;
  }

  async queryRange(expr: string, start: number, end: number, step: number): Promise<RangeSeries[]> {
    const data = await this.call('query_range', { query: expr, start, end, step });
    if (data.resultType !== 'matrix' || !Array.isArray(data.result)) {
      throw new Error(`query_range returned ${String(data.resultType)} instead of a matrix for: ${expr}`);
    }
    return data.result.map((entry) => {
      if (!isRecord(entry) || !Array.isArray(entry['values'])) {
        throw new Error(`query_range returned a malformed series for: ${expr}`);
      }
      return { labels: readLabels(entry['metric']), points: entry['values'].map(readPoint) };
    });
  }

  /** Instant query; a scalar result comes back as one sample without labels. */
  async queryInstant(expr: string, time: number): Promise<InstantSample[]> {
    const data = await this.call('query', { query: expr, time });
    if (data.resultType === 'scalar') {
      const [t, v] = readPoint(data.result);
      return [{ labels: {}, time: t, value: v }];
    }
    if (data.resultType !== 'vector' || !Array.isArray(data.result)) {
      throw new Error(`query returned ${String(data.resultType)} instead of a vector for: ${expr}`);
    }
    return data.result.map((entry) => {
      if (!isRecord(entry)) {
        throw new Error(`query returned a malformed sample for: ${expr}`);
      }
      const [t, v] = readPoint(entry['value']);
      return { labels: readLabels(entry['metric']), time: t, value: v };
    });
  }

  /** Label sets of the series a selector matches in [start, end]. */
  async series(match: string, start: number, end: number): Promise<Labels[]> {
    const data = await fetchJson(`${this.base}/series`, { 'match[]': match, start, end });
    const payload = unwrap(data, 'series');
    if (!Array.isArray(payload)) {
      throw new Error(`series returned no list for: ${match}`);
    }
    return payload.map(readLabels);
  }

  private async call(endpoint: 'query' | 'query_range', params: Record<string, string | number>): Promise<{ resultType: unknown; result: unknown }> {
    const payload = unwrap(await fetchJson(`${this.base}/${endpoint}`, params), endpoint);
    if (!isRecord(payload)) {
      throw new Error(`${endpoint} returned no data for: ${String(params['query'])}`);
    }
    return { resultType: payload['resultType'], result: payload['result'] };
  }
}

function unwrap(body: unknown, endpoint: string): unknown {
  if (!isRecord(body) || body['status'] !== 'success') {
    const message = isRecord(body) && typeof body['error'] === 'string' ? body['error'] : 'not a Prometheus API response';
    throw new Error(`Prometheus ${endpoint}: ${message}`);
  }
  return body['data'];
}

function readLabels(value: unknown): Labels {
  const labels: Labels = {};
  if (isRecord(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string') {
        labels[key] = v;
      }
    }
  }
  return labels;
}

/** Prometheus sends `[1700000000.123, "0.5"]`; values may be NaN or ±Inf as strings. */
function readPoint(value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'number' || typeof value[1] !== 'string') {
    throw new Error(`malformed Prometheus sample: ${JSON.stringify(value)}`);
  }
  return [value[0], Number(value[1])];
}
