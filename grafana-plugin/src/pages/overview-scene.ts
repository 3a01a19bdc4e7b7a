import { EmbeddedScene } from '@grafana/scenes';
import type { AppSettings } from '../app-settings.js';
import { rowsLayout } from '../scene/layout.js';
import { overviewPanels, overviewVariables } from './overview-panels.js';
import { controls, panelsByKey, timeRange, variableSet } from './scene-parts.js';

export function overviewScene(settings: AppSettings): EmbeddedScene {
  const panel = panelsByKey(overviewPanels(), settings);
  return new EmbeddedScene({
    $timeRange: timeRange(),
    $variables: variableSet(settings, overviewVariables()),
    controls: controls(),
    body: rowsLayout([
      {
        height: 130,
        items: [
          [panel('profiles-by-state'), 3],
          [panel('learning-overdue'), 1],
          [panel('event-loss-ratio'), 1],
          [panel('loader-restarts'), 1],
        ],
      },
      { height: 340, items: [[panel('top-workloads'), 1]] },
      {
        height: 300,
        items: [
          [panel('detections-by-rule'), 1],
          [panel('anomalies-by-category'), 1],
          [panel('learning-progress'), 1],
        ],
      },
      {
        height: 260,
        items: [
          [panel('detections-over-time'), 1],
          [panel('events-lost'), 1],
        ],
      },
    ]),
  });
}
