/**
 * The modules Grafana shares with plugins that this app imports, by the names its AMD module
 * asks for (webpack externals, see grafana-plugin/webpack.config.ts). The harness provides
 * exactly these; the dist test checks the plugin asks for nothing else.
 */
export const GRAFANA_SHARED_MODULES = [
  'react',
  'react-dom',
  'react/jsx-runtime',
  '@grafana/data',
  '@grafana/ui',
  '@grafana/runtime',
  '@grafana/runtime/unstable',
  '@emotion/css',
  '@emotion/react',
  'rxjs',
  'react-router',
  'i18next',
  'lodash',
] as const;

export type SharedModule = (typeof GRAFANA_SHARED_MODULES)[number];

export function isSharedModule(name: string): name is SharedModule {
  return (GRAFANA_SHARED_MODULES as readonly string[]).includes(name);
}
