import { dateTimeFormat, FieldType, formattedValueToString, getFieldDisplayName, type DataFrame } from '@grafana/data';
import { VizTooltipContent, VizTooltipHeader, VizTooltipWrapper, type VizTooltipItem } from '@grafana/ui';
import React from 'react';

export interface TimeSeriesTooltipProps {
  /** The frame the chart drew: time first, then one number field per series. */
  readonly frame: DataFrame;
  /** Per field of `frame`, the row under the cursor (null where a series has no point). */
  readonly dataIdxs: ReadonlyArray<number | null>;
}

/** What a time series panel shows on hover: the time, then every series' value there, largest first. */
export function TimeSeriesTooltip({ frame, dataIdxs }: TimeSeriesTooltipProps): React.JSX.Element | null {
  const time = frame.fields[0];
  const row = dataIdxs[0];
  if (!time || time.type !== FieldType.time || row === null || row === undefined) {
    return null;
  }
  const items: VizTooltipItem[] = [];
  frame.fields.forEach((field, i) => {
    const idx = dataIdxs[i];
    if (i === 0 || field.type !== FieldType.number || idx === null || idx === undefined) {
      return;
    }
    const raw: unknown = field.values[idx];
    if (typeof raw !== 'number') {
      return;
    }
    const shown = field.display?.(raw);
    items.push({
      label: getFieldDisplayName(field, frame),
      value: shown ? formattedValueToString(shown) : String(raw),
      color: shown?.color,
      numeric: raw,
    });
  });
  items.sort((a, b) => (b.numeric ?? 0) - (a.numeric ?? 0));
  const at: unknown = time.values[row];
  return (
    <VizTooltipWrapper>
      <VizTooltipHeader item={{ label: '', value: typeof at === 'number' ? dateTimeFormat(at, { format: 'YYYY-MM-DD HH:mm:ss' }) : '' }} />
      <VizTooltipContent items={items} />
    </VizTooltipWrapper>
  );
}
