import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';
import { renderLegend } from './legend.js';
import type { InstantSample, Labels, RangeSeries } from './prometheus-client.js';

export interface FrameQuery {
  readonly refId: string;
  readonly legendFormat?: string;
}

/**
 * One frame per series, on the full step grid from `start` to `end`: steps Prometheus had no
 * sample for become nulls, so charts show gaps where a series was absent (as Grafana's
 * Prometheus data source does) instead of drawing a line across them.
 */
export function rangeSeriesToFrames(
  series: readonly RangeSeries[],
  query: FrameQuery,
  grid: { start: number; end: number; step: number },
): DataFrame[] {
  const times: number[] = [];
  for (let t = grid.start; t <= grid.end + 1e-9; t += grid.step) {
    times.push(Math.round(t * 1000));
  }
  return series.map((s) => {
    const byTime = new Map(s.points.map(([t, v]) => [Math.round(t * 1000), v]));
    const values = times.map((t) => byTime.get(t) ?? null);
    const name = renderLegend(query.legendFormat, s.labels);
    return createDataFrame({
      refId: query.refId,
      name,
      fields: [
        { name: 'Time', type: FieldType.time, values: [...times], config: { interval: grid.step * 1000 } },
        { name: 'Value', type: FieldType.number, values, labels: { ...s.labels }, config: { displayNameFromDS: name } },
      ],
    });
  });
}

/** One single-value frame per sample, for stats and bar gauges. */
export function instantSamplesToFrames(samples: readonly InstantSample[], query: FrameQuery): DataFrame[] {
  return samples.map((sample) => {
    const name = renderLegend(query.legendFormat, sample.labels);
    return createDataFrame({
      refId: query.refId,
      name,
      fields: [
        { name: 'Time', type: FieldType.time, values: [sample.time * 1000], config: {} },
        { name: 'Value', type: FieldType.number, values: [sample.value], labels: { ...sample.labels }, config: { displayNameFromDS: name } },
      ],
    });
  });
}

/** The labels of a single-value frame made by instantSamplesToFrames. */
export function frameLabels(frame: DataFrame): Labels {
  return frame.fields.find((f) => f.name === 'Value')?.labels ?? {};
}

/** The value of a single-value frame made by instantSamplesToFrames. */
export function frameValue(frame: DataFrame): number | undefined {
  const value: unknown = frame.fields.find((f) => f.name === 'Value')?.values[0];
  return typeof value === 'number' ? value : undefined;
}
