import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import {
  BarGaugeDisplayMode,
  BarGaugeNamePlacement,
  BarGaugeValueMode,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  GraphDrawStyle,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  SortOrder,
  TableSortByFieldStateBuilder,
  StackingConfigBuilder,
  StackingMode,
  TooltipDisplayMode,
  VizLegendOptionsBuilder,
  VizOrientation,
  VizTooltipOptionsBuilder,
  GraphThresholdsStyleConfigBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  FieldColorModeId,
  MappingType,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  type DataSourceRef,
  type DynamicConfigValue,
  type GridPos,
  type Panel,
  type ValueMapping,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { FieldColorBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { BAR_POINTS } from '@telltale/grafana-plugin/queries';

/** Every panel queries the dashboard's `$datasource` Prometheus. */
export const DATASOURCE: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

export interface Target {
  readonly refId?: string;
  readonly expr: string;
  readonly legend?: string;
  /** Evaluate at the end of the range (stats, bar gauges, tables). */
  readonly instant?: boolean;
  /** Keep labels as columns (tables). */
  readonly table?: boolean;
}

import { SEVERITY_COLORS } from '@telltale/grafana-plugin/colors';

export { CATEGORY_COLORS, OVERALL_COLOR, SEVERITY_COLORS, STATE_COLORS } from '@telltale/grafana-plugin/colors';

function query(target: Target, index: number): DataqueryBuilder {
  const q = new DataqueryBuilder()
    .refId(target.refId ?? String.fromCharCode(65 + index))
    .datasource(DATASOURCE)
    .expr(target.expr)
    .legendFormat(target.legend ?? '__auto');
  if (target.instant) {
    q.instant();
  } else {
    q.range();
  }
  if (target.table) {
    q.format(PromQueryFormat.Table);
  }
  return q;
}

function thresholds(steps: ReadonlyArray<readonly [number | null, string]>): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps.map(([value, color]) => ({ value, color })));
}

function fixedColor(color: string): DynamicConfigValue {
  return { id: 'color', value: { mode: FieldColorModeId.Fixed, fixedColor: color } };
}

export interface TimeSeriesOptions {
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  /** Dashed red line at this value (the alert threshold). */
  readonly thresholdLine?: number;
  readonly bars?: boolean;
  readonly stacked?: boolean;
  readonly colors?: Readonly<Record<string, string>>;
  readonly description?: string;
  /** 0 for counts, so the axis shows whole numbers. */
  readonly decimals?: number;
}

export function timeSeriesPanel(title: string, targets: readonly Target[], options: TimeSeriesOptions = {}): timeseries.PanelBuilder {
  const panel = new timeseries.PanelBuilder()
    .title(title)
    .datasource(DATASOURCE)
    .drawStyle(options.bars ? GraphDrawStyle.Bars : GraphDrawStyle.Line)
    .lineWidth(options.bars ? 1 : 2)
    .fillOpacity(options.bars ? 70 : 8)
    .spanNulls(false)
    .legend(new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom).calcs([]))
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending))
    .stacking(new StackingConfigBuilder().mode(options.stacked ? StackingMode.Normal : StackingMode.None).group('A'))
    .colorScheme(new FieldColorBuilder().mode(FieldColorModeId.PaletteClassic));
  targets.forEach((t, i) => panel.withTarget(query(t, i)));
  if (options.description) panel.description(options.description);
  if (options.unit) panel.unit(options.unit);
  if (options.min !== undefined) panel.min(options.min);
  if (options.max !== undefined) panel.max(options.max);
  if (options.thresholdLine !== undefined) {
    panel
      .thresholds(thresholds([[null, 'transparent'], [options.thresholdLine, 'red']]))
      .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));
  }
  if (options.bars) panel.maxDataPoints(BAR_POINTS);
  if (options.decimals !== undefined) panel.decimals(options.decimals);
  for (const [name, color] of Object.entries(options.colors ?? {})) panel.overrideByName(name, [fixedColor(color)]);
  return panel;
}

export interface StatOptions {
  readonly unit?: string;
  readonly decimals?: number;
  /** Colour from these steps; the first step is the base. */
  readonly steps?: ReadonlyArray<readonly [number | null, string]>;
  readonly colors?: Readonly<Record<string, string>>;
  /** Show series names (e.g. a state) rather than values. */
  readonly showName?: boolean;
  readonly valueText?: Readonly<Record<string, string>>;
  readonly description?: string;
}

export function statPanel(title: string, targets: readonly Target[], options: StatOptions = {}): stat.PanelBuilder {
  const panel = new stat.PanelBuilder()
    .title(title)
    .datasource(DATASOURCE)
    .graphMode(BigValueGraphMode.None)
    .colorMode(options.steps || options.colors ? BigValueColorMode.Value : BigValueColorMode.None)
    .textMode(options.showName ? BigValueTextMode.Name : BigValueTextMode.Auto)
    .orientation(VizOrientation.Auto)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
  targets.forEach((t, i) => panel.withTarget(query({ instant: true, ...t }, i)));
  if (options.description) panel.description(options.description);
  if (options.unit) panel.unit(options.unit);
  if (options.decimals !== undefined) panel.decimals(options.decimals);
  panel.thresholds(thresholds(options.steps ?? [[null, 'text']]));
  for (const [name, color] of Object.entries(options.colors ?? {})) panel.overrideByName(name, [fixedColor(color)]);
  if (options.valueText) panel.mappings([valueMapping(options.valueText)]);
  return panel;
}

export interface BarGaugeOptions {
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  readonly colors?: Readonly<Record<string, string>>;
  /** Colour by a suffix of the series name, e.g. `critical` for `reverse-shell · critical`. */
  readonly colorsBySuffix?: Readonly<Record<string, string>>;
  readonly description?: string;
}

export function barGaugePanel(title: string, targets: readonly Target[], options: BarGaugeOptions = {}): bargauge.PanelBuilder {
  const panel = new bargauge.PanelBuilder()
    .title(title)
    .datasource(DATASOURCE)
    .orientation(VizOrientation.Horizontal)
    .displayMode(BarGaugeDisplayMode.Gradient)
    .valueMode(BarGaugeValueMode.Color)
    .namePlacement(BarGaugeNamePlacement.Left)
    .showUnfilled(true)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .thresholds(thresholds([[null, 'blue']]));
  targets.forEach((t, i) => panel.withTarget(query({ instant: true, ...t }, i)));
  if (options.description) panel.description(options.description);
  if (options.unit) panel.unit(options.unit);
  if (options.min !== undefined) panel.min(options.min);
  if (options.max !== undefined) panel.max(options.max);
  for (const [name, color] of Object.entries(options.colors ?? {})) panel.overrideByName(name, [fixedColor(color)]);
  for (const [suffix, color] of Object.entries(options.colorsBySuffix ?? {})) panel.overrideByRegexp(`.* ${suffix}$`, [fixedColor(color)]);
  return panel;
}

export interface TableColumn {
  /** A label of the series, or `Value`. */
  readonly field: string;
  readonly header: string;
  readonly unit?: string;
  /** Data link on the cell (Grafana data link URL, may use ${__data.fields.x}). */
  readonly link?: { readonly title: string; readonly url: string };
  readonly colors?: Readonly<Record<string, string>>;
}

/** Columns of a rule-hit table (values in Unix milliseconds): when, how bad, which rule, what. */
export const RULE_HIT_COLUMNS: readonly TableColumn[] = [
  { field: 'Value', header: 'Last seen', unit: 'dateTimeAsIso' },
  { field: 'severity', header: 'Severity', colors: SEVERITY_COLORS },
  { field: 'rule', header: 'Rule' },
  { field: 'item', header: 'Item' },
];

/** An instant-query table: one row per series, the listed labels as columns, newest first. */
export function tablePanel(title: string, targets: readonly Target[], columns: readonly TableColumn[], description?: string): table.PanelBuilder {
  const panel = new table.PanelBuilder().title(title).datasource(DATASOURCE).showHeader(true);
  targets.forEach((t, i) => panel.withTarget(query({ instant: true, table: true, ...t }, i)));
  if (description) panel.description(description);
  const indexByName: Record<string, number> = {};
  const renameByName: Record<string, string> = {};
  columns.forEach((c, i) => {
    indexByName[c.field] = i;
    renameByName[c.field] = c.header;
  });
  const keep = new Set(columns.map((c) => c.field));
  panel.withTransformation({ id: 'merge', options: {} });
  panel.withTransformation({
    id: 'organize',
    options: {
      // Every label not listed, and the evaluation time, is hidden.
      excludeByName: Object.fromEntries(['Time', '__name__', 'job', 'instance', 'namespace', 'workload', 'workload_type', 'container', 'category', 'item', 'rule', 'severity', 'Value'].filter((f) => !keep.has(f)).map((f) => [f, true])),
      indexByName,
      renameByName,
    },
  });
  panel.sortBy([new TableSortByFieldStateBuilder().displayName(columns.find((c) => c.field === 'Value')?.header ?? columns[0]?.header ?? '').desc(true)]);
  for (const c of columns) {
    const props: DynamicConfigValue[] = [];
    if (c.unit) props.push({ id: 'unit', value: c.unit });
    if (c.link) props.push({ id: 'links', value: [{ title: c.link.title, url: c.link.url }] });
    if (c.colors) {
      props.push({ id: 'mappings', value: [valueMapping(Object.fromEntries(Object.keys(c.colors).map((k) => [k, k])), c.colors)] });
      props.push({ id: 'custom.cellOptions', value: { type: 'color-text' } });
    }
    if (props.length > 0) panel.overrideByName(c.header, props);
  }
  return panel;
}

function valueMapping(text: Readonly<Record<string, string>>, colors: Readonly<Record<string, string>> = {}): ValueMapping {
  const options: Record<string, { text: string; color?: string; index: number }> = {};
  Object.entries(text).forEach(([value, display], index) => {
    options[value] = { text: display, index, ...(colors[value] ? { color: colors[value] } : {}) };
  });
  return { type: MappingType.ValueToText, options };
}

/** Any panel builder: the dashboard needs to place it and build it. */
export type PanelLike = cog.Builder<Panel> & { gridPos(gridPos: GridPos): unknown };

export interface GridRow {
  readonly height: number;
  /** Panels left to right with their widths in grid columns (24 per row). */
  readonly panels: ReadonlyArray<readonly [PanelLike, number]>;
}

/** Places rows of panels on Grafana's 24-column grid, top to bottom. */
export function placeRows(rows: readonly GridRow[]): PanelLike[] {
  const placed: PanelLike[] = [];
  let y = 0;
  for (const row of rows) {
    let x = 0;
    for (const [panel, w] of row.panels) {
      if (x + w > 24) throw new Error(`row at y=${y} is wider than 24 columns`);
      panel.gridPos({ x, y, w, h: row.height });
      placed.push(panel);
      x += w;
    }
    y += row.height;
  }
  return placed;
}
