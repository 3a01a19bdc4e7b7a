import { AppPlugin, type AppRootProps } from '@grafana/data';
import { initPluginTranslations } from '@grafana/i18n';
import { loadResources } from '@grafana/scenes';
import { LoadingPlaceholder } from '@grafana/ui';
import React, { lazy, Suspense } from 'react';
import type { AppJsonData } from './app-settings.js';
import type { AppConfigProps } from './components/app-config/app-config.js';
import pluginJson from './plugin.json';

// Scenes' own strings need the plugin's i18n namespace before anything renders.
await initPluginTranslations(pluginJson.id, [loadResources]);

const LazyApp = lazy(async () => ({ default: (await import('./components/app/app.js')).App }));
const LazyAppConfig = lazy(async () => ({ default: (await import('./components/app-config/app-config.js')).AppConfig }));

function AppRoot(props: AppRootProps<AppJsonData>): React.JSX.Element {
  return (
    <Suspense fallback={<LoadingPlaceholder text="Loading Telltale…" />}>
      <LazyApp {...props} />
    </Suspense>
  );
}

function AppConfigPage(props: AppConfigProps): React.JSX.Element {
  return (
    <Suspense fallback={<LoadingPlaceholder text="Loading configuration…" />}>
      <LazyAppConfig {...props} />
    </Suspense>
  );
}

export const plugin = new AppPlugin<AppJsonData>().setRootPage(AppRoot).addConfigPage({
  title: 'Configuration',
  icon: 'cog',
  body: AppConfigPage,
  id: 'configuration',
});
