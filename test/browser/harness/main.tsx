/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The browser side of the test harness: what Grafana's frontend does for an app plugin, and
 * no more. It shares React, @grafana/data, ui and runtime, emotion, rxjs, i18next and
 * react-router with the plugin through an AMD loader, sets up the runtime services through
 * @grafana/runtime's own setters, loads the built dist/module.js, and renders the app root at
 * /a/<plugin-id>/... or the config page at /plugins/<plugin-id>.
 */
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as grafanaData from '@grafana/data';
import { AppPlugin, type AppPluginMeta, type KeyValue, PluginType } from '@grafana/data';
import * as grafanaRuntime from '@grafana/runtime';
import { config, LocationServiceProvider, locationService, setBackendSrv, setDataSourceSrv } from '@grafana/runtime';
import { setPluginPage } from 'grafana-internal:runtime/plugin-page';
import * as grafanaRuntimeUnstable from '@grafana/runtime/unstable';
import * as grafanaUi from '@grafana/ui';
import { GlobalStyles, ThemeContext } from '@grafana/ui';
import * as i18next from 'i18next';
import * as lodash from 'lodash';
import * as React from 'react';
import { useLayoutEffect, useState } from 'react';
import * as ReactDOM from 'react-dom';
import { createRoot } from 'react-dom/client';
import * as jsxRuntime from 'react/jsx-runtime';
import * as reactRouter from 'react-router';
import { Route, Router, Routes } from 'react-router';
import * as rxjs from 'rxjs';
import { asEsModule, installAmdLoader } from './amd-loader.js';
import { createBackendSrv } from './backend-srv.js';
import { createDataSourceSrv, prometheusInstanceSettings } from './datasource-srv.js';
import type { HarnessConfig, HarnessStatus, PluginSettings } from './harness-types.js';
import { HarnessPluginPage } from './plugin-page.js';
import type { SharedModule } from './shared-modules.js';

declare global {
  interface Window {
    harnessStatus?: HarnessStatus;
  }
}

const SHARED: Record<SharedModule, unknown> = {
  react: asEsModule(React),
  'react-dom': asEsModule(ReactDOM),
  'react/jsx-runtime': asEsModule(jsxRuntime),
  '@grafana/data': asEsModule(grafanaData),
  '@grafana/ui': asEsModule(grafanaUi),
  '@grafana/runtime': asEsModule(grafanaRuntime),
  '@grafana/runtime/unstable': asEsModule(grafanaRuntimeUnstable),
  '@emotion/css': asEsModule(emotionCss),
  '@emotion/react': asEsModule(emotionReact),
  rxjs: asEsModule(rxjs),
  'react-router': asEsModule(reactRouter),
  i18next: asEsModule(i18next),
  lodash: asEsModule(lodash),
};

function setStatus(status: HarnessStatus): void {
  window.harnessStatus = status;
}

/** react-router v6 driven by Grafana's history (history v4: listen(location)). */
function GrafanaRouter({ children }: { children: React.ReactNode }): React.JSX.Element {
  const history = locationService.getHistory();
  const [location, setLocation] = useState(history.location);
  useLayoutEffect(() => history.listen((next: typeof history.location) => setLocation(next)), [history]);
  return (
    <Router location={location} navigator={history}>
      {children}
    </Router>
  );
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function boot(): Promise<void> {
  setStatus({ state: 'loading' });
  const harness = await getJson<HarnessConfig>('/harness/config.json');
  const settings = await getJson<PluginSettings>(`/api/plugins/${harness.pluginId}/settings`);

  setBackendSrv(createBackendSrv());
  const datasource = prometheusInstanceSettings(harness.datasource.uid, harness.datasource.name);
  setDataSourceSrv(createDataSourceSrv([datasource]));
  config.datasources = { [datasource.name]: datasource };
  config.defaultDatasource = datasource.name;
  setPluginPage(HarnessPluginPage);

  const loadModule = installAmdLoader(SHARED);
  const exports = await loadModule(harness.moduleUrl);
  const plugin = (exports as { plugin?: unknown }).plugin;
  if (!(plugin instanceof AppPlugin)) {
    throw new Error(`${harness.moduleUrl} does not export an AppPlugin named "plugin"`);
  }
  const meta: AppPluginMeta<KeyValue> = {
    id: settings.id,
    name: 'Telltale',
    type: PluginType.app,
    module: harness.moduleUrl,
    baseUrl: harness.moduleUrl.replace(/\/module\.js$/, ''),
    enabled: settings.enabled,
    pinned: settings.pinned,
    jsonData: settings.jsonData,
    info: {
      author: { name: 'Telltale' },
      description: '',
      links: [],
      logos: { small: '', large: '' },
      screenshots: [],
      updated: '',
      version: '',
    },
  };
  plugin.init(meta);
  plugin.meta = meta;

  const container = document.getElementById('root');
  if (!container) throw new Error('harness page has no #root');
  const Root = plugin.root;
  const configPage = plugin.configPages?.[0];
  const appPath = `/a/${settings.id}/*`;
  createRoot(container).render(
    <ThemeContext.Provider value={config.theme2}>
      <GlobalStyles />
      <LocationServiceProvider service={locationService}>
      <GrafanaRouter>
        <Routes>
          {Root && <Route path={appPath} element={<Root meta={meta} path={`/a/${settings.id}`} query={{}} basename={`/a/${settings.id}`} onNavChanged={() => undefined} />} />}
          {configPage && (
            <Route
              path={`/plugins/${settings.id}`}
              element={
                <HarnessPluginPage pageNav={{ text: `${meta.name} — ${configPage.title}` }}>
                  <configPage.body plugin={plugin} query={{}} />
                </HarnessPluginPage>
              }
            />
          )}
        </Routes>
      </GrafanaRouter>
      </LocationServiceProvider>
    </ThemeContext.Provider>,
  );
  setStatus({ state: 'ready' });
}

window.addEventListener('error', (event) => setStatus({ state: 'error', message: String(event.error ?? event.message) }));
boot().catch((error: unknown) => {
  setStatus({ state: 'error', message: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) });
});
