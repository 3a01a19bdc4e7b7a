import { css } from '@emotion/css';
import { dateTimeFormat, type DataFrame, type GrafanaTheme2, type TimeRange } from '@grafana/data';
import { Badge, FilterInput, InteractiveTable, TextLink, useStyles2, type BadgeColor, type Column } from '@grafana/ui';
import React, { useMemo, useState } from 'react';
import type { TableColumnSpec, TableSpec } from '../../panels/panel-spec.js';
import { workloadIdentityOf, workloadPageUrl } from '../../workload-link.js';
import { filterRows, tableRows, type TableRow } from './table-rows.js';

export interface TableVizProps {
  readonly frames: readonly DataFrame[];
  readonly spec: TableSpec;
  readonly timeRange: TimeRange;
  readonly height: number;
}

const SEVERITY_BADGES: Readonly<Record<string, BadgeColor>> = { critical: 'red', warning: 'orange', info: 'blue' };

/** Series as rows (labels as columns), with sorting, paging, optional text filter and workload links. */
export function TableViz({ frames, spec, timeRange, height }: TableVizProps): React.JSX.Element {
  const styles = useStyles2(getStyles);
  const [filter, setFilter] = useState('');
  const rows = useMemo(() => tableRows(frames, spec), [frames, spec]);
  const visible = useMemo(() => filterRows(rows, filter), [rows, filter]);
  const columns = useMemo(() => spec.columns.map((c) => toColumn(c, timeRange, styles)), [spec, timeRange, styles]);
  return (
    <div className={styles.container} style={{ height }}>
      {spec.filterable && (
        <div className={styles.filter}>
          <FilterInput placeholder="Filter by rule, item, workload…" value={filter} onChange={setFilter} />
          <span className={styles.count}>
            {visible.length} of {rows.length}
          </span>
        </div>
      )}
      {visible.length === 0 ? (
        <div className={styles.empty}>{rows.length === 0 ? spec.emptyText : `Nothing matches "${filter}".`}</div>
      ) : (
        <div className={styles.table}>
          <InteractiveTable<TableRow> columns={columns} data={visible} getRowId={(row) => row.id} pageSize={spec.pageSize ?? 10} />
        </div>
      )}
    </div>
  );
}

type Styles = ReturnType<typeof getStyles>;

function toColumn(column: TableColumnSpec, timeRange: TimeRange, styles: Styles): Column<TableRow> {
  return {
    id: column.id,
    header: column.header,
    sortType: (a, b) => compare(a.original.cells[column.id], b.original.cells[column.id]),
    cell: ({ row }) => renderCell(column, row.original, timeRange, styles),
  };
}

function renderCell(column: TableColumnSpec, row: TableRow, timeRange: TimeRange, styles: Styles): React.ReactNode {
  const value = row.cells[column.id];
  if (value === undefined || value === '') {
    return null;
  }
  const text = String(value);
  switch (column.render) {
    case 'relative-time':
      return <span className={styles.nowrap}>{typeof value === 'number' ? dateTimeFormat(value, { format: 'YYYY-MM-DD HH:mm:ss' }) : text}</span>;
    case 'severity':
      return <Badge text={text} color={SEVERITY_BADGES[text] ?? 'darkgrey'} />;
    case 'code':
      // Long items (paths, syscall sequences) are cut with an ellipsis; the title shows them whole.
      return (
        <code className={styles.code} style={{ maxWidth: `${column.maxChars ?? 32}ch` }} title={text}>
          {text}
        </code>
      );
    case 'workload-link':
      return (
        <TextLink href={workloadPageUrl(workloadIdentityOf(row.labels), timeRange)} inline>
          {text}
        </TextLink>
      );
    default:
      return <span className={styles.nowrap}>{text}</span>;
  }
}

function compare(a: string | number | undefined, b: string | number | undefined): number {
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  return String(a ?? '').localeCompare(String(b ?? ''));
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1), overflow: 'hidden' }),
  filter: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1) }),
  count: css({ color: theme.colors.text.secondary, whiteSpace: 'nowrap' }),
  table: css({ overflow: 'auto', flex: 1 }),
  empty: css({ color: theme.colors.text.secondary, padding: theme.spacing(2), textAlign: 'center' }),
  nowrap: css({ whiteSpace: 'nowrap' }),
  code: css({
    display: 'inline-block',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    verticalAlign: 'middle',
  }),
});
