import { CATEGORIES, type Category } from '../observations/category.js';
import type { ProfileDocument } from '../profiles/profile-document.js';
import { type ProfileSummary, learningProgress, profileEntries } from '../server/profile-api-shapes.js';
import { formatDuration } from '../config/duration.js';
import { formatWorkloadIdentity } from './profiles-command-args.js';

/** Human-readable output of `telltale profiles list` and `show`. */
export type ListedProfile = ProfileSummary & { readonly revision: number };

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}

const percent = (ratio: number) => `${Math.floor(ratio * 100)}%`;
const total = (counts: Readonly<Record<Category, number>>) => CATEGORIES.reduce((sum, c) => sum + counts[c], 0);

export function renderListTable(profiles: readonly ListedProfile[]): string {
  return table(
    ['ID', 'NAMESPACE', 'TYPE', 'WORKLOAD', 'CONTAINER', 'STATE', 'PROGRESS', 'ENTRIES', 'REVISION'],
    profiles.map((p) => [p.id, p.namespace || '-', p.workloadType, p.workload, p.container || '-', p.state, percent(p.learningProgress), String(total(p.entryCounts)), String(p.revision)]),
  );
}

function lifecycleLine(doc: ProfileDocument): string {
  switch (doc.state) {
    case 'learning':
      return `learning since ${doc.learningStartedAt ?? 'an unknown time'}`;
    case 'ready':
      return `ready since ${doc.readyAt ?? 'an unknown time'}${doc.readyReason ? ` (${doc.readyReason})` : ''}${doc.learnAfterReady ? ', still learning new entries' : ''}`;
    case 'locked':
      return `locked since ${doc.lockedAt ?? 'an unknown time'}${doc.readyAt ? `; ready since ${doc.readyAt}` : '; it was never ready (unlock returns it to learning)'}`;
  }
}

/** `show ID`: identity, lifecycle, progress, counts, then every entry by category (`+` marks entries learned after ready). */
export function renderShow(id: string, revision: number, doc: ProfileDocument, categories: readonly Category[] = CATEGORIES): string {
  const w = doc.workload;
  const afterReady = CATEGORIES.flatMap((c) => profileEntries(doc)[c]).filter((e) => e.addedAfterReady).length;
  const out = [
    `profile   ${id}  (revision ${revision})`,
    `workload  ${formatWorkloadIdentity(w)}  (namespace ${w.namespace || '-'}, ${w.workloadType} ${w.workload}, container ${w.container || '-'})`,
    `state     ${lifecycleLine(doc)}`,
    `learning  started ${doc.learningStartedAt ?? '-'}; learned ${formatDuration(Math.round(doc.learnedSeconds) * 1000) || '0s'} of ${formatDuration(doc.learningPeriodSeconds * 1000) || '0s'} (${percent(learningProgress(doc))}); ${doc.epochs} epochs; last new entry ${doc.lastNoveltyAt ?? '-'}`,
    `version   ${doc.version ?? '-'}${doc.previousVersion ? ` (previous ${doc.previousVersion}, changed ${doc.versionChangedAt ?? '-'})` : ''}`,
    `entries   ${CATEGORIES.map((c) => `${c} ${doc.entryCounts[c]}`).join(', ')}${afterReady > 0 ? `; + marks ${afterReady} learned after ready` : ''}`,
  ];
  const overflowed = CATEGORIES.filter((c) => doc.overflow[c] > 0);
  if (overflowed.length > 0) out.push(`overflow  ${overflowed.map((c) => `${c} ${doc.overflow[c]}`).join(', ')} (folded or dropped at the size budget)`);
  const entries = profileEntries(doc);
  const seen = (count: number, lastSeen: string) => `support ${count}  last seen ${lastSeen}`;
  for (const category of categories) {
    if (category === 'exec') {
      // Binaries with their argv patterns under them, as the profile holds them.
      const execs = doc.entries.exec;
      out.push('', `exec (${execs.length} binaries, ${execs.reduce((n, e) => n + e.argv.length, 0)} argv patterns)`);
      if (execs.length === 0) out.push('  (none)');
      const width = Math.min(60, Math.max(0, ...execs.flatMap((e) => [e.path.length, ...e.argv.map((a) => a.tokens.join(' ').length + 4)])));
      for (const e of execs) {
        out.push(`${e.addedAfterReady ? '+' : ' '} ${e.path.padEnd(width)}  ${seen(e.support, e.lastSeen)}`);
        for (const a of e.argv) out.push(`${a.addedAfterReady ? '+' : ' '}     ${a.tokens.join(' ').padEnd(width - 4)}  ${seen(a.support, a.lastSeen)}`);
      }
      continue;
    }
    const list = entries[category];
    out.push('', `${category} (${list.length})`);
    if (list.length === 0) {
      out.push('  (none)');
      continue;
    }
    const width = Math.min(60, Math.max(...list.map((e) => e.value.length)));
    const detailWidth = Math.min(40, Math.max(...list.map((e) => e.detail.length)));
    for (const e of list) {
      const detail = e.detail ? `  ${e.detail.padEnd(detailWidth)}` : detailWidth > 0 ? `  ${''.padEnd(detailWidth)}` : '';
      out.push(`${e.addedAfterReady ? '+' : ' '} ${e.value.padEnd(width)}${detail}  ${seen(e.count, e.lastSeen)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
