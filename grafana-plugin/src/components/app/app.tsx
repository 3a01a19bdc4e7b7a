import type { AppRootProps } from '@grafana/data';
import { SceneApp, SceneAppPage } from '@grafana/scenes';
import React, { useMemo } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { readAppSettings, type AppJsonData, type AppSettings } from '../../app-settings.js';
import { PLUGIN_BASE_URL, prefixRoute, ROUTES } from '../../constants.js';
import { detectionsScene } from '../../pages/detections-scene.js';
import { overviewScene } from '../../pages/overview-scene.js';
import { workloadScene } from '../../pages/workload-scene.js';

export function buildSceneApp(settings: AppSettings): SceneApp {
  return new SceneApp({
    pages: [
      new SceneAppPage({
        title: 'Overview',
        subTitle: 'Deviation scores, detections, learning progress and sensor health across workloads.',
        url: prefixRoute(ROUTES.overview),
        routePath: ROUTES.overview,
        getScene: () => overviewScene(settings),
      }),
      new SceneAppPage({
        title: 'Workload',
        subTitle: 'One workload: scores by category, its learned baseline, novel items and detections.',
        url: prefixRoute(ROUTES.workload),
        routePath: ROUTES.workload,
        getScene: () => workloadScene(settings),
      }),
      new SceneAppPage({
        title: 'Detections',
        subTitle: 'Behavioural rule hits and anomalies across workloads.',
        url: prefixRoute(ROUTES.detections),
        routePath: ROUTES.detections,
        getScene: () => detectionsScene(settings),
      }),
    ],
    urlSyncOptions: { updateUrlOnInit: true, createBrowserHistorySteps: true },
  });
}

/** The app root Grafana renders under /a/telltale-detector-app/*. */
export function App({ meta }: AppRootProps<AppJsonData>): React.JSX.Element {
  const { datasourceUid, exporterUrl, alertThreshold } = readAppSettings(meta.jsonData);
  const location = useLocation();
  const scene = useMemo(
    () => buildSceneApp({ datasourceUid, exporterUrl, alertThreshold }),
    [datasourceUid, exporterUrl, alertThreshold],
  );
  // The app's own root has no page: open the Overview, keeping time range and variables.
  if (location.pathname.replace(/\/+$/, '') === PLUGIN_BASE_URL) {
    return <Navigate to={`${prefixRoute(ROUTES.overview)}${location.search}`} replace />;
  }
  return <scene.Component model={scene} />;
}
