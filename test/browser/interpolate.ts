import { interpolateMacros, type MacroContext } from '../../grafana-plugin/src/queries/macros.js';
import { escapeRegex, escapeStringLiteral } from '../../grafana-plugin/src/queries/promql.js';

/** A variable as Grafana would hold it: "All" with a custom all value, several values, or one. */
export type VariableValue = { readonly all: true } | { readonly values: readonly string[] } | { readonly single: string };

export const ALL: VariableValue = { all: true };

/**
 * Substitutes variables the way Grafana's Prometheus data source does (and the app's
 * formatter mirrors): one value is escaped for a string literal, several are regex-escaped
 * and joined as `(a|b)`, and "All" becomes the custom all value `.*` untouched. Then the
 * range and interval macros. Unknown variables are an error, so a typo cannot pass.
 */
export function interpolate(expr: string, variables: Readonly<Record<string, VariableValue>>, macros: MacroContext): string {
  const withVariables = expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    if (name.startsWith('__')) return whole;
    const value = variables[name];
    if (!value) throw new Error(`query uses $${name}, which the test gives no value: ${expr}`);
    if ('all' in value) return '.*';
    if ('single' in value) return escapeStringLiteral(value.single);
    const escaped = value.values.map((v) => escapeStringLiteral(escapeRegex(v)));
    return escaped.length === 1 ? (escaped[0] ?? '') : `(${escaped.join('|')})`;
  });
  return interpolateMacros(withVariables, macros);
}
