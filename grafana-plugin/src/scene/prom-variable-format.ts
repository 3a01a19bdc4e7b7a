import type { VariableCustomFormatterFn } from '@grafana/scenes';
import { escapeRegex, escapeStringLiteral } from '../queries/promql.js';

/**
 * How a variable's value is written into PromQL, as Grafana's Prometheus data source does it:
 * a single-value variable is matched exactly (`label="$var"`), so its value is only escaped
 * for the string literal; a multi-value or "All" variable sits in a regex (`label=~"$var"`),
 * so each value is regex-escaped and the values are joined as `(a|b)`. A custom "All" value
 * such as `.*` never reaches this function: scenes passes it through untouched.
 */
export const formatPromVariable: VariableCustomFormatterFn = (value, variable) => {
  const values = (Array.isArray(value) ? value : [value]).map((v) => String(v));
  if (!variable.multi && !variable.includeAll) {
    return escapeStringLiteral(values[0] ?? '');
  }
  const escaped = values.map((v) => escapeStringLiteral(escapeRegex(v)));
  return escaped.length === 1 ? (escaped[0] ?? '') : `(${escaped.join('|')})`;
};
