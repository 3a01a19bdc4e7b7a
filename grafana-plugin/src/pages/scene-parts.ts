import {
  CustomVariable,
  DataSourceVariable,
  SceneRefreshPicker,
  SceneTimePicker,
  SceneTimeRange,
  SceneVariableSet,
  VariableValueSelectors,
  type SceneObject,
} from '@grafana/scenes';
import type { AppSettings } from '../app-settings.js';
import type { PanelSpec, VariableSpec } from '../panels/panel-spec.js';
import type { LabelValuesSource } from '../queries/variable-queries.js';
import { PromLabelVariable } from '../scene/prom-label-variable.js';
import { TelltalePanel } from '../scene/telltale-panel.js';
import { TimeControls } from '../scene/time-controls.js';

export const DEFAULT_TIME_RANGE = { from: 'now-3h', to: 'now' };

export function timeRange(): SceneTimeRange {
  return new SceneTimeRange(DEFAULT_TIME_RANGE);
}

/** The Prometheus picker every page has; starts on the data source chosen on the Config page. */
export function datasourceVariable(settings: AppSettings): DataSourceVariable {
  return new DataSourceVariable({
    name: 'ds',
    label: 'Data source',
    pluginId: 'prometheus',
    ...(settings.datasourceUid ? { value: settings.datasourceUid } : {}),
  });
}

/** A multi-value label filter with "All" matching everything, including the empty value. */
export function filterVariable(name: string, label: string, source: LabelValuesSource): PromLabelVariable {
  return new PromLabelVariable({
    name,
    label,
    source,
    datasource: '${ds}',
    isMulti: true,
    includeAll: true,
    defaultToAll: true,
    allValue: '.*',
    value: [],
    text: [],
    options: [],
  });
}

/** A single-value variable that pins one label, offering the empty value when series have it. */
export function pinVariable(name: string, label: string, source: LabelValuesSource): PromLabelVariable {
  return new PromLabelVariable({
    name,
    label,
    source,
    datasource: '${ds}',
    includeEmpty: true,
    value: '',
    text: '',
    options: [],
  });
}

/** A multi-value variable with fixed options and an "All" of `.*`. */
export function fixedFilterVariable(name: string, label: string, values: readonly string[]): CustomVariable {
  return new CustomVariable({
    name,
    label,
    query: values.join(','),
    isMulti: true,
    includeAll: true,
    defaultToAll: true,
    allValue: '.*',
  });
}

/** The data source picker followed by the page's variables. */
export function variableSet(settings: AppSettings, specs: readonly VariableSpec[]): SceneVariableSet {
  return new SceneVariableSet({
    variables: [
      datasourceVariable(settings),
      ...specs.map((spec) => {
        switch (spec.kind) {
          case 'filter':
            return filterVariable(spec.name, spec.label, spec.source);
          case 'pin':
            return pinVariable(spec.name, spec.label, spec.source);
          case 'fixed':
            return fixedFilterVariable(spec.name, spec.label, spec.values);
        }
      }),
    ],
  });
}

/** The variables, then the time range and refresh pickers at the right (on a row of their own if asked). */
export function controls(options: { readonly timeOnOwnRow?: boolean } = {}): SceneObject[] {
  return [
    new VariableValueSelectors({}),
    new TimeControls({
      timePicker: new SceneTimePicker({ isOnCanvas: true }),
      refreshPicker: new SceneRefreshPicker({ intervals: ['30s', '1m', '5m', '15m'], isOnCanvas: true }),
      ownRow: options.timeOnOwnRow ?? false,
    }),
  ];
}

/** Scene panels by key, so layouts can place them; throws on a key the specs lack. */
export function panelsByKey(specs: readonly PanelSpec[], settings: AppSettings): (key: string) => TelltalePanel {
  const panels = new Map(specs.map((spec) => [spec.key, TelltalePanel.fromSpec(spec, settings.alertThreshold)]));
  return (key) => {
    const panel = panels.get(key);
    if (!panel) {
      throw new Error(`no panel with key ${key}`);
    }
    return panel;
  };
}
