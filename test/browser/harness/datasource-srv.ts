/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { PluginType, type DataSourceApi, type DataSourceInstanceSettings, type DataSourceRef } from '@grafana/data';
import type { DataSourceSrv, GetDataSourceListFilters } from '@grafana/runtime';

/**
 * Grafana's data source service over the data sources the harness server lists at
 * `/api/datasources`. The app only needs their settings (for pickers and the data source
 * variable); it queries Prometheus through the data source proxy, never through a plugin.
 */
export function createDataSourceSrv(list: readonly DataSourceInstanceSettings[]): DataSourceSrv {
  const find = (ref?: DataSourceRef | string | null): DataSourceInstanceSettings | undefined => {
    if (ref === undefined || ref === null || ref === 'default') return list.find((d) => d.isDefault) ?? list[0];
    const id = typeof ref === 'string' ? ref : ref.uid;
    return list.find((d) => d.uid === id || d.name === id);
  };
  return {
    getList: (filters: GetDataSourceListFilters = {}) =>
      list.filter(
        (d) =>
          (filters.pluginId === undefined || d.type === filters.pluginId) &&
          (filters.type === undefined || [filters.type].flat().includes(d.type)) &&
          (filters.filter === undefined || filters.filter(d)),
      ),
    getInstanceSettings: find,
    get: (ref?: DataSourceRef | string | null): Promise<DataSourceApi> =>
      Promise.reject(new Error(`the harness has no data source plugins; ${JSON.stringify(ref)} cannot be instantiated`)),
    reload: () => Promise.resolve(),
    registerRuntimeDataSource: () => {
      throw new Error('runtime data sources are not used by the app');
    },
  };
}

/** Settings as Grafana's `/api/frontend/settings` describes a Prometheus data source. */
export function prometheusInstanceSettings(uid: string, name: string): DataSourceInstanceSettings {
  return {
    id: 1,
    uid,
    name,
    type: 'prometheus',
    access: 'proxy',
    url: `/api/datasources/proxy/uid/${uid}`,
    isDefault: true,
    readOnly: true,
    jsonData: {},
    meta: {
      id: 'prometheus',
      name: 'Prometheus',
      type: PluginType.datasource,
      module: 'core:plugin/prometheus',
      baseUrl: 'public/plugins/prometheus',
      metrics: true,
      alerting: true,
      annotations: true,
      info: {
        author: { name: 'Grafana Labs' },
        description: 'Open source time series database & alerting',
        links: [],
        logos: { small: 'public/build/img/icons/unicons/chart-line.svg', large: 'public/build/img/icons/unicons/chart-line.svg' },
        screenshots: [],
        updated: '',
        version: '',
      },
    },
  };
}
