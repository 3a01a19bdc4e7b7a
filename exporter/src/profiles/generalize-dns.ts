import { generalizeToken, truncate } from './generalize-token.js';

/**
 * DNS names are stored as label lists from the right (`api.example.com` →
 * `com, example, api`) in a pattern trie, so `*.svc.cluster.local` and per-pod or
 * per-request labels fold into one wildcard under their common suffix. Labels are
 * generalized like path segments (digit runs, hashes, UUIDs and random suffixes become `*`).
 */
export function normalizeDnsName(name: string, maxLength: number): { name: string; truncated: boolean } {
  const lower = name.trim().toLowerCase().replace(/\.+$/, '');
  const cut = truncate(lower, maxLength);
  return { name: cut.value, truncated: cut.truncated };
}

export function dnsSegments(name: string): string[] {
  return name.split('.').filter((label) => label !== '').reverse();
}

export function generalizeDnsName(name: string, maxLength: number): { segments: string[]; truncated: boolean } {
  const normalized = normalizeDnsName(name, maxLength);
  return { segments: dnsSegments(normalized.name).map(generalizeToken), truncated: normalized.truncated };
}

export function renderDnsSegments(segments: readonly string[]): string {
  return [...segments].reverse().join('.');
}
