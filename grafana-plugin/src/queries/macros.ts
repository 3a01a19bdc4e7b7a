import { formatDuration } from './promql.js';

/**
 * Grafana's Prometheus data source fills `$__range`, `$__range_s`, `$__range_ms`, `$__interval`,
 * `$__interval_ms` and `$__rate_interval` in dashboards. The app queries Prometheus through
 * the data source proxy instead, so it fills them itself, the same way.
 */
export interface MacroContext {
  /** Length of the time range in seconds. */
  readonly rangeSeconds: number;
  /** Step of a range query (Grafana's `$__interval`) in seconds. */
  readonly intervalSeconds: number;
  /** The data source's scrape interval in seconds; Grafana assumes 15 when unset. */
  readonly scrapeIntervalSeconds: number;
}

export const DEFAULT_SCRAPE_INTERVAL_SECONDS = 15;

/**
 * Max data points for bar charts of counts per step (`$__interval`), so bars are wide enough
 * to see: about 2.5 minutes a bar over two hours. Pages and dashboards both use it.
 */
export const BAR_POINTS = 48;

/** Grafana's rule: at least four scrapes, and never less than one step plus one scrape. */
export function rateIntervalSeconds(ctx: MacroContext): number {
  return Math.max(ctx.intervalSeconds + ctx.scrapeIntervalSeconds, 4 * ctx.scrapeIntervalSeconds);
}

export function interpolateMacros(expr: string, ctx: MacroContext): string {
  const range = Math.max(1, Math.round(ctx.rangeSeconds));
  const interval = Math.max(1, Math.round(ctx.intervalSeconds));
  const values: Record<string, string> = {
    rate_interval: formatDuration(rateIntervalSeconds({ ...ctx, intervalSeconds: interval })),
    range_ms: String(range * 1000),
    range_s: String(range),
    range: `${range}s`,
    interval_ms: String(interval * 1000),
    interval: formatDuration(interval),
  };
  return expr.replace(/\$__(rate_interval|range_ms|range_s|range|interval_ms|interval)\b/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new Error(`unknown macro $__${name}`);
    }
    return value;
  });
}

/**
 * Grafana's step for a range query: the range over the number of points wanted, rounded up
 * to whole seconds and never below the scrape interval.
 */
export function stepSeconds(rangeSeconds: number, maxDataPoints: number, scrapeIntervalSeconds: number): number {
  return Math.max(scrapeIntervalSeconds, Math.ceil(rangeSeconds / Math.max(1, maxDataPoints)));
}
