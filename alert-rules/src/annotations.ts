import type { AlertRulesConfig } from './config.js';

/**
 * Go-template snippets for annotations. Prometheus expands them per alert with `$labels`,
 * `$value` and the `query` function.
 */

/** e.g. "Deployment shop/api, container app", or "cgroup telltale-e2e/demo" in standalone mode. */
export const WORKLOAD_REF =
  '{{ $labels.workload_type }} {{ if $labels.namespace }}{{ $labels.namespace }}/{{ end }}{{ $labels.workload }}' +
  '{{ if $labels.container }}, container {{ $labels.container }}{{ end }}';

/** e.g. "shop/api", short enough for a summary. */
export const WORKLOAD_SHORT = '{{ if $labels.namespace }}{{ $labels.namespace }}/{{ end }}{{ $labels.workload }}';

export function runbookUrl(config: AlertRulesConfig, alert: string): string {
  return `${config.runbookBaseUrl}/${alert}.md`;
}

/**
 * A Go template string literal holding a printf format. Raw (backquoted) when possible for
 * readability; `%` in the PromQL is doubled so printf leaves it alone.
 */
export function printfFormatLiteral(format: string): string {
  return format.includes('`') ? JSON.stringify(format) : `\`${format}\``;
}

export function escapePrintf(text: string): string {
  return text.replace(/%/g, '%%');
}
