import { EmbeddedScene } from '@grafana/scenes';
import type { AppSettings } from '../app-settings.js';
import { rowsLayout } from '../scene/layout.js';
import { detectionsPanels, detectionsVariables } from './detections-panels.js';
import { controls, panelsByKey, timeRange, variableSet } from './scene-parts.js';

export function detectionsScene(settings: AppSettings): EmbeddedScene {
  const panel = panelsByKey(detectionsPanels(), settings);
  return new EmbeddedScene({
    $timeRange: timeRange(),
    $variables: variableSet(settings, detectionsVariables()),
    controls: controls(),
    body: rowsLayout([
      {
        height: 240,
        items: [
          [panel('detections-over-time'), 1],
          [panel('anomalies-over-time'), 1],
        ],
      },
      // Twelve rows, the filter and the pager, without a blank band below.
      { height: 656, items: [[panel('detections-table'), 1]] },
    ]),
  });
}
