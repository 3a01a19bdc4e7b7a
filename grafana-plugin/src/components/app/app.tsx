import type { AppRootProps } from '@grafana/data';
import { SceneApp, SceneAppPage } from '@grafana/scenes';
import React, { useMemo } from 'react';
import { readAppSettings, type AppJsonData, type AppSettings } from '../../app-settings.js';
import { prefixRoute, ROUTES } from '../../constants.js';
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
  const scene = useMemo(
    () => buildSceneApp({ datasourceUid, exporterUrl, alertThreshold }),
    [datasourceUid, exporterUrl, alertThreshold],
  );
  return <scene.Component model={scene} />;
}
