import { CATEGORIES, type Category } from '../observations/category.js';
import type { ProfileDocument, ProfileLifecycleFields } from '../profiles/profile-document.js';
import { sequenceNames } from '../server/profile-api-shapes.js';
import { syscallName } from '../sensor/syscall-names.js';
import { formatWorkloadIdentity } from './profiles-command-args.js';

/**
 * What differs between two profiles in what they would let pass: the workload they belong
 * to, the lifecycle, the generalization settings, and the entries of each category
 * (added, removed, or changed where an entry has a detail: file access modes). Counters
 * that move on every epoch (support, first/last seen, learned time, calibration) are left
 * out, so a profile exported from staging and the one running in production compare equal
 * when they allow the same behaviour.
 */
export const COMPARED_LIFECYCLE_FIELDS = [
  'state',
  'learningStartedAt',
  'readyAt',
  'lockedAt',
  'readyReason',
  'learningPeriodSeconds',
  'learnAfterReady',
  'version',
  'previousVersion',
  'versionChangedAt',
] as const satisfies readonly (keyof ProfileLifecycleFields)[];

export interface FieldChange {
  readonly field: string;
  readonly from: unknown;
  readonly to: unknown;
}

export interface CategoryDiff {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: { readonly entry: string; readonly from: string; readonly to: string }[];
}

export interface ProfileDiff {
  readonly workload: FieldChange | null;
  readonly lifecycle: FieldChange[];
  readonly generalization: FieldChange[];
  readonly entries: Record<Category, CategoryDiff>;
}

/** Each category's entries as key → detail (the detail is compared, the key identifies). */
function entryMap(document: ProfileDocument, category: Category): Map<string, string> {
  const { entries } = document;
  switch (category) {
    case 'exec':
      return new Map(entries.exec.flatMap((e) => (e.argv.length === 0 ? [[e.path, '']] : e.argv.map((a) => [`${e.path}  [${a.tokens.join(' ')}]`, ''] as [string, string]))));
    case 'file':
      return new Map(entries.file.map((e) => [e.path, [...e.modes].sort().join(',')]));
    case 'syscall':
      return new Map(entries.syscall.map((e) => [`${syscallName(e.nr)} (${e.nr})`, '']));
    case 'syscall_sequence':
      return new Map(entries.syscall_sequence.map((e) => [`${sequenceNames(e.calls)} (${e.calls})`, '']));
    case 'network':
      return new Map(entries.network.map((e) => [e.peer, '']));
    case 'dns':
      return new Map(entries.dns.map((e) => [e.name, '']));
    case 'capability':
      return new Map(entries.capability.map((e) => [e.name, '']));
  }
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function diffProfiles(a: ProfileDocument, b: ProfileDocument, options: { ignoreWorkload?: boolean } = {}): ProfileDiff {
  const workload = options.ignoreWorkload || same(a.workload, b.workload) ? null : { field: 'workload', from: formatWorkloadIdentity(a.workload), to: formatWorkloadIdentity(b.workload) };
  const lifecycle = COMPARED_LIFECYCLE_FIELDS.filter((f) => !same(a[f], b[f])).map((field) => ({ field, from: a[field], to: b[field] }));
  const keys = [...new Set([...Object.keys(a.generalization), ...Object.keys(b.generalization)])].sort() as (keyof ProfileDocument['generalization'])[];
  const generalization = keys
    .filter((k) => !same(a.generalization[k], b.generalization[k]))
    .map((k) => ({ field: `generalization.${k}`, from: a.generalization[k], to: b.generalization[k] }));
  const entries = Object.fromEntries(
    CATEGORIES.map((category) => {
      const left = entryMap(a, category);
      const right = entryMap(b, category);
      const diff: CategoryDiff = {
        added: [...right.keys()].filter((k) => !left.has(k)).sort(),
        removed: [...left.keys()].filter((k) => !right.has(k)).sort(),
        changed: [...left.entries()]
          .filter(([k, detail]) => right.has(k) && right.get(k) !== detail)
          .map(([entry, from]) => ({ entry, from, to: right.get(entry) as string }))
          .sort((x, y) => (x.entry < y.entry ? -1 : 1)),
      };
      return [category, diff];
    }),
  ) as Record<Category, CategoryDiff>;
  return { workload, lifecycle, generalization, entries };
}

export function diffIsEmpty(diff: ProfileDiff): boolean {
  return (
    diff.workload === null &&
    diff.lifecycle.length === 0 &&
    diff.generalization.length === 0 &&
    CATEGORIES.every((c) => diff.entries[c].added.length + diff.entries[c].removed.length + diff.entries[c].changed.length === 0)
  );
}

const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** diff(1)-like text: `---`/`+++` headers, then field changes and `+`/`-`/`~` entry lines per category. */
export function renderDiff(diff: ProfileDiff, labelA: string, labelB: string): string {
  const lines = [`--- ${labelA}`, `+++ ${labelB}`];
  for (const change of [...(diff.workload ? [diff.workload] : []), ...diff.lifecycle, ...diff.generalization]) {
    lines.push(`${change.field}: ${show(change.from)} -> ${show(change.to)}`);
  }
  for (const category of CATEGORIES) {
    const { added, removed, changed } = diff.entries[category];
    if (added.length + removed.length + changed.length === 0) continue;
    const counts = [added.length ? `+${added.length}` : '', removed.length ? `-${removed.length}` : '', changed.length ? `~${changed.length}` : ''].filter((s) => s).join(' ');
    lines.push(`${category}: ${counts}`);
    for (const entry of removed) lines.push(`  - ${entry}`);
    for (const entry of added) lines.push(`  + ${entry}`);
    for (const { entry, from, to } of changed) lines.push(`  ~ ${entry}: ${from} -> ${to}`);
  }
  if (lines.length === 2) lines.push('no differences');
  return `${lines.join('\n')}\n`;
}
