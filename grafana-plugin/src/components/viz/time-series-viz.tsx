import { EventBusSrv, type DataFrame, type TimeRange } from '@grafana/data';
import {
  AxisPlacement,
  GraphDrawStyle,
  GraphGradientMode,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LineInterpolation,
  StackingMode,
  VisibilityMode,
} from '@grafana/schema';
import { PanelContextProvider, TimeSeries, TooltipPlugin2, useTheme2 } from '@grafana/ui';
import React, { useMemo, type ComponentProps } from 'react';
import type { TimeSeriesSpec } from '../../panels/panel-spec.js';
import { prepareFrames } from './prepare-fields.js';
import { TimeSeriesTooltip } from './time-series-tooltip.js';

// TooltipHoverMode.xAll: @grafana/ui declares the enum `const`, which isolated modules cannot read.
const HOVER_ALL_SERIES = 1 as ComponentProps<typeof TooltipPlugin2>['hoverMode'];

export interface TimeSeriesVizProps {
  readonly frames: readonly DataFrame[];
  readonly spec: TimeSeriesSpec;
  readonly timeRange: TimeRange;
  readonly width: number;
  readonly height: number;
  readonly alertThreshold: number;
}

/** @grafana/ui's TimeSeries with the field defaults Grafana's time series panel would apply. */
export function TimeSeriesViz({ frames, spec, timeRange, width, height, alertThreshold }: TimeSeriesVizProps): React.JSX.Element {
  const theme = useTheme2();
  const eventBus = useMemo(() => new EventBusSrv(), []);
  const bars = spec.drawStyle === 'bars';
  const prepared = useMemo(
    () =>
      prepareFrames(frames, theme, {
        unit: spec.unit,
        min: spec.min,
        max: spec.max,
        decimals: spec.decimals,
        colorByName: spec.seriesColors,
        thresholds: spec.alertThresholdLine
          ? [
              { value: 0, color: 'transparent' },
              { value: alertThreshold, color: 'red' },
            ]
          : undefined,
        custom: {
          drawStyle: bars ? GraphDrawStyle.Bars : GraphDrawStyle.Line,
          lineInterpolation: LineInterpolation.Linear,
          lineWidth: bars ? 1 : 2,
          fillOpacity: bars ? 70 : 8,
          gradientMode: GraphGradientMode.None,
          showPoints: VisibilityMode.Never,
          pointSize: 4,
          spanNulls: false,
          barAlignment: 0,
          axisPlacement: AxisPlacement.Auto,
          axisBorderShow: false,
          stacking: { mode: spec.stacked ? StackingMode.Normal : StackingMode.None, group: 'A' },
          thresholdsStyle: { mode: spec.alertThresholdLine ? GraphThresholdsStyleMode.Dashed : GraphThresholdsStyleMode.Off },
          hideFrom: { legend: false, tooltip: false, viz: false },
        },
      }),
    [frames, theme, spec, bars, alertThreshold],
  );
  return (
    <PanelContextProvider value={{ eventsScope: 'global', eventBus }}>
      <TimeSeries
        frames={prepared}
        timeRange={timeRange}
        timeZone="browser"
        width={width}
        height={height}
        legend={{ displayMode: LegendDisplayMode.List, placement: 'bottom', showLegend: true, calcs: [] }}
      >
        {(builder, alignedFrame) => (
          <TooltipPlugin2
            config={builder}
            hoverMode={HOVER_ALL_SERIES}
            render={(_u, dataIdxs) => <TimeSeriesTooltip frame={alignedFrame} dataIdxs={dataIdxs} />}
          />
        )}
      </TimeSeries>
    </PanelContextProvider>
  );
}
