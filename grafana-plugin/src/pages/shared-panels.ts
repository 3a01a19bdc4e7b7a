import { SEVERITY_COLORS } from '../panels/colors.js';
import { BAR_POINTS, type PanelSpec } from '../panels/panel-spec.js';
import { detectionsOverTime } from '../queries/overview-queries.js';
import type { LabelMatcher } from '../queries/promql.js';

/** Stacked bars of rule hits by severity; the Overview and Detections pages differ only in their filters. */
export function detectionsOverTimePanel(matchers: readonly LabelMatcher[]): PanelSpec {
  return {
    key: 'detections-over-time',
    title: 'Rule detections over time',
    queries: [{ refId: 'A', expr: detectionsOverTime(matchers), legendFormat: '{{severity}}' }],
    maxDataPoints: BAR_POINTS,
    viz: { kind: 'timeseries', drawStyle: 'bars', stacked: true, min: 0, decimals: 0, seriesColors: SEVERITY_COLORS },
  };
}
