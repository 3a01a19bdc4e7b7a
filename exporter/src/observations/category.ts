/**
 * What a novel observation is about. The values are part of the metric contract
 * (`category` label) shared with the alert rules, dashboards and the Grafana app.
 */
export const CATEGORIES = ['exec', 'file', 'syscall', 'syscall_sequence', 'network', 'dns', 'capability'] as const;

export type Category = (typeof CATEGORIES)[number];

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}
