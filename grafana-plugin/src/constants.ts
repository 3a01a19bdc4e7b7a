import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const PLUGIN_BASE_URL = `/a/${PLUGIN_ID}`;

/** Grafana proxies `/api/plugin-proxy/<id>/<route path>/...` to the route's url (plugin.json). */
export const EXPORTER_PROXY_BASE = `/api/plugin-proxy/${PLUGIN_ID}/exporter`;

export const ROUTES = {
  overview: 'overview',
  workload: 'workload',
  detections: 'detections',
} as const;

export function prefixRoute(route: string): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}
