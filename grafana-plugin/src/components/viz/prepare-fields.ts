import {
  FieldColorModeId,
  FieldType,
  getDisplayProcessor,
  ThresholdsMode,
  type DataFrame,
  type FieldConfig,
  type GrafanaTheme2,
  type ValueMapping,
  MappingType,
} from '@grafana/data';

export interface FieldOptions {
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  readonly decimals?: number;
  /** Absolute thresholds, lowest first; the first step's value is ignored (it is the base). */
  readonly thresholds?: ReadonlyArray<{ readonly value: number; readonly color: string }>;
  readonly custom?: Record<string, unknown>;
  /** Fixed colour per display name. */
  readonly colorByName?: Readonly<Record<string, string>>;
  readonly valueText?: Readonly<Record<string, string>>;
  /** Colour numbers by thresholds rather than by series palette. */
  readonly colorByThresholds?: boolean;
}

/**
 * What Grafana's panel pipeline does before a visualisation sees a frame: merge field config
 * defaults, give every number field a palette position and a display processor. Grafana's
 * applyFieldOverrides needs the field config registry that only a Grafana server fills, so
 * the app does the part it needs here.
 */
export function prepareFrames(frames: readonly DataFrame[], theme: GrafanaTheme2, options: FieldOptions): DataFrame[] {
  let seriesIndex = 0;
  return frames.map((frame) => ({
    ...frame,
    fields: frame.fields.map((field) => {
      if (field.type !== FieldType.number) {
        return { ...field, display: getDisplayProcessor({ field, theme }) };
      }
      const name = field.config.displayNameFromDS ?? frame.name ?? field.name;
      const fixedColor = options.colorByName?.[name];
      const config: FieldConfig = {
        ...field.config,
        unit: options.unit,
        min: options.min,
        max: options.max,
        decimals: options.decimals,
        color: fixedColor
          ? { mode: FieldColorModeId.Fixed, fixedColor }
          : options.colorByThresholds
            ? { mode: FieldColorModeId.Thresholds }
            : { mode: FieldColorModeId.PaletteClassic },
        thresholds: {
          mode: ThresholdsMode.Absolute,
          steps: (options.thresholds ?? [{ value: 0, color: 'green' }]).map((step, i) => ({
            value: i === 0 ? -Infinity : step.value,
            color: step.color,
          })),
        },
        mappings: valueMappings(options.valueText),
        custom: { ...options.custom },
      };
      const prepared = { ...field, config, state: { ...field.state, seriesIndex: seriesIndex++ } };
      return { ...prepared, display: getDisplayProcessor({ field: prepared, theme }) };
    }),
  }));
}

function valueMappings(valueText: Readonly<Record<string, string>> | undefined): ValueMapping[] {
  if (!valueText) {
    return [];
  }
  const options: Record<string, { text: string; index: number }> = {};
  Object.entries(valueText).forEach(([value, text], index) => {
    options[value] = { text, index };
  });
  return [{ type: MappingType.ValueToText, options }];
}
