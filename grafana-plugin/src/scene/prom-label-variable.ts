import {
  MultiOrSingleValueSelect,
  MultiValueVariable,
  sceneGraph,
  VariableDependencyConfig,
  type MultiValueVariableState,
  type VariableValueOption,
} from '@grafana/scenes';
import { from, type Observable } from 'rxjs';
import { labelValueOptions } from '../data/label-values.js';
import { PrometheusClient } from '../data/prometheus-client.js';
import type { LabelValuesSource } from '../queries/variable-queries.js';
import { formatPromVariable } from './prom-variable-format.js';

export interface PromLabelVariableState extends MultiValueVariableState {
  /** Series to read label values from; may reference other variables. */
  readonly source: LabelValuesSource;
  /** Data source UID, usually `${ds}`. */
  readonly datasource: string;
  /** Offer the empty value (labels that do not apply, e.g. namespace in standalone mode). */
  readonly includeEmpty?: boolean;
}

/**
 * A variable whose options are the values of one label, read with Prometheus's series API
 * over the current time range. Unlike `label_values`, it can offer the empty value, which
 * standalone workloads have for `namespace` and `container`.
 */
export class PromLabelVariable extends MultiValueVariable<PromLabelVariableState> {
  static Component = MultiOrSingleValueSelect;

  protected override _variableDependency = new VariableDependencyConfig(this, { statePaths: ['source', 'datasource'] });

  constructor(state: Omit<PromLabelVariableState, 'type'>) {
    super({ ...state, type: 'query' });
  }

  getValueOptions(): Observable<VariableValueOption[]> {
    const client = new PrometheusClient(sceneGraph.interpolate(this, this.state.datasource));
    const match = sceneGraph.interpolate(this, this.state.source.series, undefined, formatPromVariable);
    const range = sceneGraph.getTimeRange(this).state.value;
    const start = Math.floor(range.from.valueOf() / 1000);
    const end = Math.ceil(range.to.valueOf() / 1000);
    return from(
      client.series(match, start, end).then((series) => labelValueOptions(series, this.state.source.label, this.state.includeEmpty ?? false)),
    );
  }
}
