import { createDataFrame, FieldType, type DataFrame } from '@grafana/data';
import { BigValue, BigValueColorMode, BigValueGraphMode, BigValueJustifyMode, BigValueTextMode, useTheme2 } from '@grafana/ui';
import { css } from '@emotion/css';
import React, { useMemo } from 'react';
import { frameLabels } from '../../data/prom-frames.js';
import type { StatSpec } from '../../panels/panel-spec.js';
import { prepareFrames } from './prepare-fields.js';

export interface StatVizProps {
  readonly frames: readonly DataFrame[];
  readonly spec: StatSpec;
  readonly width: number;
  readonly height: number;
  readonly alertThreshold: number;
}

/** One BigValue per series (or per expected tile), side by side. */
export function StatViz({ frames, spec, width, height, alertThreshold }: StatVizProps): React.JSX.Element {
  const theme = useTheme2();
  const tiles = useMemo(() => {
    const withTiles = spec.tiles ? fillTiles(frames, spec.tiles) : [...frames];
    return prepareFrames(withTiles, theme, {
      unit: spec.unit,
      decimals: spec.decimals,
      colorByName: spec.colors,
      valueText: spec.valueText,
      colorByThresholds: spec.alertThresholdColors,
      thresholds: spec.alertThresholdColors
        ? [
            { value: 0, color: 'green' },
            { value: alertThreshold, color: 'red' },
          ]
        : [{ value: 0, color: 'text' }],
    });
  }, [frames, spec, theme, alertThreshold]);
  const gap = 8;
  const tileWidth = tiles.length > 0 ? Math.floor((width - gap * (tiles.length - 1)) / tiles.length) : width;
  const showNames = tiles.length > 1 && spec.textMode !== 'name';
  return (
    <div className={css({ display: 'flex', gap, width, height })}>
      {tiles.map((frame, i) => {
        const field = frame.fields.find((f) => f.type === FieldType.number);
        const raw: unknown = field?.values[0];
        const display = field?.display?.(typeof raw === 'number' ? raw : null);
        if (!field || !display) {
          return null;
        }
        const name = field.config.displayNameFromDS ?? frame.name ?? '';
        return (
          <BigValue
            key={`${name}-${i}`}
            theme={theme}
            width={tileWidth}
            height={height}
            value={{ ...display, title: showNames || spec.textMode === 'name' ? name : undefined }}
            colorMode={spec.colors || spec.alertThresholdColors ? BigValueColorMode.Value : BigValueColorMode.None}
            graphMode={BigValueGraphMode.None}
            justifyMode={BigValueJustifyMode.Center}
            textMode={spec.textMode === 'name' ? BigValueTextMode.Name : showNames ? BigValueTextMode.ValueAndName : BigValueTextMode.Value}
          />
        );
      })}
    </div>
  );
}

/** Frames for every expected tile, in order; tiles with no series read 0. */
export function fillTiles(frames: readonly DataFrame[], tiles: NonNullable<StatSpec['tiles']>): DataFrame[] {
  return tiles.values.map((value) => {
    const found = frames.find((f) => frameLabels(f)[tiles.label] === value);
    return (
      found ??
      createDataFrame({
        name: value,
        fields: [{ name: 'Value', type: FieldType.number, values: [0], labels: { [tiles.label]: value }, config: { displayNameFromDS: value } }],
      })
    );
  });
}
