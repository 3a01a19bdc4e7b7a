import type { DataFrame } from '@grafana/data';
import { frameLabels, frameValue } from '../../data/prom-frames.js';
import type { TableColumnSpec, TableSpec } from '../../panels/panel-spec.js';

export interface TableRow {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly kind: string;
  /** Unix milliseconds for timestamp columns, numbers for number columns, text otherwise. */
  readonly cells: Readonly<Record<string, string | number>>;
}

/** One row per series, newest first when there is a timestamp column. */
export function tableRows(frames: readonly DataFrame[], spec: TableSpec): TableRow[] {
  const rows = frames.map((frame, index) => {
    const labels = frameLabels(frame);
    const kind = spec.rowKinds?.[frame.refId ?? ''] ?? '';
    const value = frameValue(frame);
    const cells: Record<string, string | number> = {};
    for (const column of spec.columns) {
      cells[column.id] = cellValue(column, labels, kind, value);
    }
    return { id: `${frame.refId ?? ''}:${index}:${JSON.stringify(labels)}`, labels, kind, cells };
  });
  const timeColumn = spec.columns.find((c) => 'value' in c.source && c.source.value === 'timestamp');
  if (timeColumn) {
    rows.sort((a, b) => Number(b.cells[timeColumn.id]) - Number(a.cells[timeColumn.id]));
  }
  return rows;
}

function cellValue(column: TableColumnSpec, labels: Readonly<Record<string, string>>, kind: string, value: number | undefined): string | number {
  const source = column.source;
  if ('rowKind' in source) {
    return kind;
  }
  if ('label' in source) {
    return labels[source.label] ?? '';
  }
  if ('labels' in source) {
    return source.labels.map((l) => labels[l]).find((v) => v !== undefined && v !== '') ?? '';
  }
  if (value === undefined) {
    return '';
  }
  return source.value === 'timestamp' ? Math.round(value * 1000) : value;
}

/** Rows where any cell contains every word of the filter, case-insensitively. */
export function filterRows(rows: readonly TableRow[], filter: string): TableRow[] {
  const words = filter.toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) {
    return [...rows];
  }
  return rows.filter((row) => {
    const text = Object.values(row.cells).map(String).join(' ').toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
