import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Badge, InlineSwitch, InteractiveTable, Tab, TabsBar, useStyles2, type Column } from '@grafana/ui';
import React, { useMemo, useState } from 'react';
import type { ProfileDetail, ProfileEntry } from '../../data/profile-types.js';
import { CATEGORIES, type Category } from '../../queries/metrics.js';
import { STATE_BADGES } from './state-badges.js';

export interface BaselineViewProps {
  readonly profile: ProfileDetail;
  readonly pageSize?: number;
}

export const CATEGORY_TITLES: Readonly<Record<Category, string>> = {
  exec: 'Executables',
  file: 'Files',
  syscall: 'Syscalls',
  syscall_sequence: 'Syscall sequences',
  network: 'Peers',
  dns: 'DNS names',
  capability: 'Capabilities',
};

interface EntryRow extends ProfileEntry {
  readonly id: string;
}

/**
 * A workload's learned baseline from the Profile API: one tab per category with its entries,
 * and the entries learned after the profile became ready marked, since those changed an
 * already-trusted baseline.
 */
export function BaselineView({ profile, pageSize = 10 }: BaselineViewProps): React.JSX.Element {
  const styles = useStyles2(getStyles);
  // Open on what changed a trusted baseline, if anything did; else on the first non-empty tab.
  const initial =
    CATEGORIES.find((c) => profile.entries[c].some((e) => e.addedAfterReady)) ?? CATEGORIES.find((c) => profile.entries[c].length > 0) ?? 'exec';
  const [category, setCategory] = useState<Category>(initial);
  const [onlyNew, setOnlyNew] = useState(false);
  const entries = profile.entries[category];
  const newCount = entries.filter((e) => e.addedAfterReady).length;
  const rows = useMemo<EntryRow[]>(
    () =>
      entries
        .filter((e) => !onlyNew || e.addedAfterReady)
        .map((e, i) => ({ ...e, id: `${category}:${i}:${e.value}` }))
        // New-since-ready first: they are what a reviewer needs to look at.
        .sort((a, b) => Number(b.addedAfterReady) - Number(a.addedAfterReady) || a.value.localeCompare(b.value)),
    [entries, onlyNew, category],
  );
  const columns = useMemo<Array<Column<EntryRow>>>(
    () => [
      {
        id: 'value',
        header: 'Entry',
        cell: ({ row }) => (
          <span className={row.original.addedAfterReady ? styles.newValue : undefined}>
            <code>{row.original.value}</code>
            {row.original.addedAfterReady && <Badge className={styles.badge} text="new since ready" color="orange" icon="exclamation-triangle" />}
          </span>
        ),
      },
      { id: 'detail', header: 'Detail', cell: ({ row }) => row.original.detail },
      { id: 'count', header: 'Count', cell: ({ row }) => row.original.count },
      { id: 'firstSeen', header: 'First seen', cell: ({ row }) => formatTime(row.original.firstSeen) },
      { id: 'lastSeen', header: 'Last seen', cell: ({ row }) => formatTime(row.original.lastSeen) },
    ],
    [styles],
  );
  const stateBadge = STATE_BADGES[profile.state];
  return (
    <div className={styles.container}>
      <div className={styles.summary} data-testid="baseline-summary">
        <Badge text={profile.state} color={stateBadge?.color ?? 'darkgrey'} icon={stateBadge?.icon} />
        <span>Learning since {formatTime(profile.learningStartedAt)}</span>
        {profile.readyAt && <span>Ready since {formatTime(profile.readyAt)}</span>}
        <span>Updated {formatTime(profile.updatedAt)}</span>
        <span className={styles.id}>
          Profile <code>{profile.id}</code>
        </span>
      </div>
      <TabsBar>
        {CATEGORIES.map((c) => {
          const added = profile.entries[c].filter((e) => e.addedAfterReady).length;
          return (
            <Tab
              key={c}
              label={CATEGORY_TITLES[c]}
              counter={profile.entries[c].length}
              active={c === category}
              onChangeTab={() => setCategory(c)}
              icon={added > 0 ? 'exclamation-triangle' : undefined}
              data-testid={`baseline-tab-${c}`}
            />
          );
        })}
      </TabsBar>
      {profile.readyAt && (
        <div className={styles.toolbar}>
          <InlineSwitch
            label={`Only new since ready (${newCount})`}
            showLabel
            value={onlyNew}
            disabled={newCount === 0}
            onChange={() => setOnlyNew(!onlyNew)}
          />
        </div>
      )}
      {rows.length === 0 ? (
        <div className={styles.empty}>No {CATEGORY_TITLES[category].toLowerCase()} in this profile.</div>
      ) : (
        <InteractiveTable<EntryRow> columns={columns} data={rows} getRowId={(r) => r.id} pageSize={pageSize} />
      )}
    </div>
  );
}

function formatTime(iso: string | null): string {
  return iso ? dateTimeFormat(iso, { format: 'YYYY-MM-DD HH:mm:ss' }) : '—';
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), height: '100%', overflow: 'auto' }),
  summary: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(2), color: theme.colors.text.secondary }),
  id: css({ marginLeft: 'auto' }),
  toolbar: css({ display: 'flex', justifyContent: 'flex-end' }),
  newValue: css({ color: theme.colors.warning.text, fontWeight: theme.typography.fontWeightMedium }),
  badge: css({ marginLeft: theme.spacing(1) }),
  empty: css({ color: theme.colors.text.secondary, padding: theme.spacing(2), textAlign: 'center' }),
});
