import { FieldType, VizOrientation, type DataFrame } from '@grafana/data';
import { BarGaugeDisplayMode, BarGaugeNamePlacement, BarGaugeValueMode } from '@grafana/schema';
import { BarGauge, useTheme2 } from '@grafana/ui';
import { css } from '@emotion/css';
import React, { useMemo } from 'react';
import { frameLabels, frameValue } from '../../data/prom-frames.js';
import type { BarListSpec } from '../../panels/panel-spec.js';
import { prepareFrames } from './prepare-fields.js';

export interface BarListVizProps {
  readonly frames: readonly DataFrame[];
  readonly spec: BarListSpec;
  readonly width: number;
  readonly height: number;
}

const ROW_HEIGHT = 34;
/** Below this width names go above their bars, so long rule names are not cut. */
const NAME_ON_TOP_BELOW = 560;
const ROW_HEIGHT_NAME_ON_TOP = 44;

/** Horizontal BarGauges, one per series, largest first, scrolling when they do not fit. */
export function BarListViz({ frames, spec, width, height }: BarListVizProps): React.JSX.Element {
  const theme = useTheme2();
  const rows = useMemo(() => {
    const sorted = [...frames].sort((a, b) => (frameValue(b) ?? 0) - (frameValue(a) ?? 0));
    const max = spec.max ?? Math.max(1, ...sorted.map((f) => frameValue(f) ?? 0));
    const colorByName: Record<string, string> = {};
    if (spec.colorBy) {
      for (const frame of sorted) {
        const color = spec.colorBy.colors[frameLabels(frame)[spec.colorBy.label] ?? ''];
        if (color && frame.name) {
          colorByName[frame.name] = color;
        }
      }
    }
    return prepareFrames(sorted, theme, { unit: spec.unit, min: spec.min ?? 0, max, colorByName, thresholds: [{ value: 0, color: 'blue' }], colorByThresholds: !spec.colorBy });
  }, [frames, spec, theme]);
  const nameOnTop = width < NAME_ON_TOP_BELOW;
  const rowHeight = nameOnTop ? ROW_HEIGHT_NAME_ON_TOP : ROW_HEIGHT;
  const scroll = rows.length * rowHeight > height;
  const barWidth = scroll ? width - 12 : width;
  return (
    <div className={css({ width, height, overflowY: scroll ? 'auto' : 'hidden', display: 'flex', flexDirection: 'column', gap: 2 })}>
      {rows.map((frame, i) => {
        const field = frame.fields.find((f) => f.type === FieldType.number);
        const raw: unknown = field?.values[0];
        const display = field?.display?.(typeof raw === 'number' ? raw : null);
        if (!field || !display) {
          return null;
        }
        return (
          <BarGauge
            key={`${frame.name ?? ''}-${i}`}
            theme={theme}
            width={barWidth}
            height={rowHeight - 2}
            field={field.config}
            display={field.display}
            value={{ ...display, title: frame.name }}
            orientation={VizOrientation.Horizontal}
            displayMode={BarGaugeDisplayMode.Gradient}
            namePlacement={nameOnTop ? BarGaugeNamePlacement.Top : BarGaugeNamePlacement.Left}
            valueDisplayMode={BarGaugeValueMode.Color}
            showUnfilled
          />
        );
      })}
    </div>
  );
}
