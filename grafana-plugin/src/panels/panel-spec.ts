import type { LabelValuesSource } from '../queries/variable-queries.js';

export interface PromQuery {
  readonly refId: string;
  /** PromQL with `$variables` and Grafana's range/interval macros. */
  readonly expr: string;
  readonly legendFormat?: string;
  /** Evaluate once at the end of the range instead of over it. */
  readonly instant?: boolean;
}

/**
 * A panel described as data: its PromQL and how to show it. Pages are lists of these, which
 * lets the query tests run every panel's PromQL against a real Prometheus and lets the same
 * description render in Grafana and in the browser-test harness.
 */
export { BAR_POINTS } from '../queries/macros.js';

export interface PanelSpec {
  /** Stable id, unique within a page; tests key their expectations on it. */
  readonly key: string;
  readonly title: string;
  readonly description?: string;
  readonly queries: readonly PromQuery[];
  readonly viz: VizSpec;
  /** Points per series over the range; fewer means wider bars (default 300). */
  readonly maxDataPoints?: number;
  /** What to say when the query returns nothing, if a plain "No data" would mislead. */
  readonly noDataText?: string;
}

/** A page variable (besides the data source picker) described as data, like panels. */
export type VariableSpec =
  /** Multi-value with "All" (`.*`), from label values. */
  | { readonly kind: 'filter'; readonly name: string; readonly label: string; readonly source: LabelValuesSource }
  /** Single value pinning one label, offering the empty value. */
  | { readonly kind: 'pin'; readonly name: string; readonly label: string; readonly source: LabelValuesSource }
  /** Multi-value with "All" (`.*`) from fixed values. */
  | { readonly kind: 'fixed'; readonly name: string; readonly label: string; readonly values: readonly string[] };

export type VizSpec = TimeSeriesSpec | StatSpec | BarListSpec | TableSpec;

export interface TimeSeriesSpec {
  readonly kind: 'timeseries';
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  /** 0 for counts, so the axis shows whole numbers. */
  readonly decimals?: number;
  /** Draw the app's alert threshold (Config page, default 0.9) as a dashed red line. */
  readonly alertThresholdLine?: boolean;
  readonly stacked?: boolean;
  readonly drawStyle?: 'line' | 'bars';
  /** Fixed colours for series whose display name matches a key (e.g. severities). */
  readonly seriesColors?: Readonly<Record<string, string>>;
}

export interface StatSpec {
  readonly kind: 'stat';
  readonly unit?: string;
  readonly decimals?: number;
  /**
   * One tile per value of `label`, in this order, showing 0 for values with no series: a
   * state no workload is in is still worth a tile.
   */
  readonly tiles?: { readonly label: string; readonly values: readonly string[] };
  /** Tile colour by display name; the default is the theme's primary text. */
  readonly colors?: Readonly<Record<string, string>>;
  /** Colour green below the app's alert threshold and red from it (deviation scores). */
  readonly alertThresholdColors?: boolean;
  /** Show the series name (e.g. the `state` label) instead of the number. */
  readonly textMode?: 'value' | 'name';
  /** Text for exact values, e.g. 0 -> "no", 1 -> "yes". */
  readonly valueText?: Readonly<Record<string, string>>;
}

export interface BarListSpec {
  readonly kind: 'bar-list';
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  /** Bar colour from a label's value (e.g. severity). */
  readonly colorBy?: { readonly label: string; readonly colors: Readonly<Record<string, string>> };
}

export interface TableColumnSpec {
  readonly id: string;
  readonly header: string;
  /** A label of the series, or its value read as a Unix timestamp or a number. */
  readonly source:
    | { readonly label: string }
    /** The first of these labels a row has (rule hits have `rule`, anomalies `category`). */
    | { readonly labels: readonly string[] }
    | { readonly value: 'timestamp' | 'number' }
    | { readonly rowKind: true };
  readonly render?: 'severity' | 'workload-link' | 'code' | 'relative-time';
  /** For `code`: characters shown before an ellipsis (default 32); the tooltip has the rest. */
  readonly maxChars?: number;
}

export interface TableSpec {
  readonly kind: 'table';
  readonly columns: readonly TableColumnSpec[];
  /** What to call rows from each query (refId), shown in a `rowKind` column. */
  readonly rowKinds?: Readonly<Record<string, string>>;
  /** Show a free-text filter above the table. */
  readonly filterable?: boolean;
  readonly pageSize?: number;
  /** Text when no row matches; tables are the one place where nothing is good news. */
  readonly emptyText: string;
}
