import { generalizeToken, truncate } from './generalize-token.js';

/**
 * Path generalization: normalizes an absolute path and generalizes each segment
 * (`/proc/4242/fd/7` → `/proc/*\/fd/*`, `/tmp/tmpa8Fk2Zq` → `/tmp/tmp*`). Directory
 * fan-out collapse happens later, in the trie, because it depends on what else the
 * profile holds.
 */
export interface GeneralizedPath {
  readonly segments: string[];
  readonly truncated: boolean;
}

/** Splits and normalizes: collapses `//`, resolves `.` and `..` lexically, ignores a trailing slash. */
export function splitPath(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out;
}

export function joinPath(segments: readonly string[]): string {
  return '/' + segments.join('/');
}

export function generalizePath(path: string, maxLength: number): GeneralizedPath {
  const cut = truncate(path, maxLength);
  const segments = splitPath(cut.value).map(generalizeToken);
  return { segments, truncated: cut.truncated };
}

/** Fan-out limit for a directory, honouring per-directory overrides such as `/etc`. */
export function pathFanoutFor(
  parent: readonly string[],
  base: number,
  overrides: Readonly<Record<string, number>>,
): number {
  const override = overrides[joinPath(parent)];
  return override ?? base;
}
