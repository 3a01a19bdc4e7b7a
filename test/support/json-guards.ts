/**
 * Narrowing helpers for JSON from the Prometheus and Alertmanager HTTP APIs: the answer is
 * `unknown` until checked, and a wrong shape fails with the path that was wrong.
 */
export type JsonRecord = Readonly<Record<string, unknown>>;
export type Labels = Readonly<Record<string, string>>;

export function asRecord(value: unknown, where: string): JsonRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${where}: expected an object, got ${describe(value)}`);
  }
  return value as JsonRecord;
}

export function asArray(value: unknown, where: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${where}: expected an array, got ${describe(value)}`);
  return value;
}

export function asString(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new TypeError(`${where}: expected a string, got ${describe(value)}`);
  return value;
}

export function asNumber(value: unknown, where: string): number {
  if (typeof value !== 'number') throw new TypeError(`${where}: expected a number, got ${describe(value)}`);
  return value;
}

export function optionalString(value: unknown, where: string): string | undefined {
  return value === undefined || value === null ? undefined : asString(value, where);
}

export function asLabels(value: unknown, where: string): Labels {
  const record = asRecord(value, where);
  const labels: Record<string, string> = {};
  for (const [name, labelValue] of Object.entries(record)) labels[name] = asString(labelValue, `${where}.${name}`);
  return labels;
}

export function asStringArray(value: unknown, where: string): readonly string[] {
  return asArray(value, where).map((item, index) => asString(item, `${where}[${index}]`));
}

export function oneOf<const T extends string>(value: unknown, allowed: readonly T[], where: string): T {
  const text = asString(value, where);
  if (!(allowed as readonly string[]).includes(text)) {
    throw new TypeError(`${where}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(text)}`);
  }
  return text as T;
}

/** True when every label in `wanted` has that value in `labels` (a missing label counts as ""). */
export function labelsMatch(labels: Labels, wanted: Labels): boolean {
  return Object.entries(wanted).every(([name, value]) => (labels[name] ?? '') === value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const text = JSON.stringify(value);
  return `${typeof value} ${text === undefined ? '' : text.slice(0, 80)}`;
}
