import type { Labels } from './prometheus-client.js';

/**
 * Grafana's legend format: `{{label}}` becomes the label's value (empty when absent). Without
 * a format, a series is named like Prometheus prints it: `metric{a="b"}`.
 */
export function renderLegend(format: string | undefined, labels: Labels): string {
  if (format === undefined || format === '') {
    const { __name__: name = '', ...rest } = labels;
    const inner = Object.entries(rest)
      .map(([k, v]) => `${k}="${v}"`)
      .join(', ');
    return inner === '' ? name || '{}' : `${name}{${inner}}`;
  }
  return format.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, label: string) => labels[label] ?? '').trim();
}
