import type { Labels } from './prometheus-client.js';

/** Text shown for the empty label value. */
export const EMPTY_LABEL_TEXT = '(none)';

export interface LabelValueOption {
  readonly label: string;
  readonly value: string;
}

/** Distinct values of `label`, sorted, with the empty value first when wanted and present. */
export function labelValueOptions(series: readonly Labels[], label: string, includeEmpty: boolean): LabelValueOption[] {
  const values = new Set(series.map((s) => s[label] ?? ''));
  const sorted = [...values].filter((v) => v !== '').sort((a, b) => a.localeCompare(b));
  const options = sorted.map((value) => ({ label: value, value }));
  return includeEmpty && values.has('') ? [{ label: EMPTY_LABEL_TEXT, value: '' }, ...options] : options;
}
