import {
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { toLabelValuesQuery, type LabelValuesSource } from '@telltale/grafana-plugin/queries';
import { DATASOURCE } from './panel-kit.js';

export function datasourceVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder('datasource').label('Data source').type('prometheus');
}

/** Label values of the selected Prometheus, refreshed with the time range. */
function labelValuesVariable(name: string, label: string, source: LabelValuesSource): QueryVariableBuilder {
  const query = toLabelValuesQuery(source);
  return new QueryVariableBuilder(name)
    .label(label)
    .datasource(DATASOURCE)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc);
}

/** Multi-value with "All" as `.*`, which also matches an empty label (standalone namespaces). */
export function filterVariable(name: string, label: string, source: LabelValuesSource): QueryVariableBuilder {
  return labelValuesVariable(name, label, source).multi(true).includeAll(true).allValue('.*').current({ text: 'All', value: '$__all' });
}

/** Single value, for a label that names one workload. */
export function pinVariable(name: string, label: string, source: LabelValuesSource): QueryVariableBuilder {
  return labelValuesVariable(name, label, source).multi(false).includeAll(false);
}
