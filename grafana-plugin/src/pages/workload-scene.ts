import { EmbeddedScene } from '@grafana/scenes';
import type { AppSettings } from '../app-settings.js';
import { BaselinePanel } from '../scene/baseline-panel.js';
import { rowsLayout } from '../scene/layout.js';
import { controls, panelsByKey, timeRange, variableSet } from './scene-parts.js';
import { workloadPanels, workloadVariables } from './workload-panels.js';

export function workloadScene(settings: AppSettings): EmbeddedScene {
  const panel = panelsByKey(workloadPanels(), settings);
  return new EmbeddedScene({
    $timeRange: timeRange(),
    $variables: variableSet(settings, workloadVariables()),
    // Workload names vary in length: the time controls always get their own row here.
    controls: controls({ timeOnOwnRow: true }),
    body: rowsLayout([
      {
        height: 120,
        items: [
          [panel('profile-state'), 1],
          [panel('learning-progress'), 1],
          [panel('score-now'), 1],
          [panel('anomaly-count'), 1],
          [panel('learning-overdue'), 1],
          [panel('score-suppressed'), 1],
        ],
      },
      {
        height: 340,
        items: [
          [panel('category-scores'), 2],
          [panel('profile-entries'), 1],
          [panel('rule-hit-counts'), 1],
        ],
      },
      {
        height: 360,
        items: [
          [panel('recent-rule-hits'), 1],
          [panel('recent-novel-items'), 1],
        ],
      },
      { height: 560, items: [[new BaselinePanel({ exporterConfigured: settings.exporterUrl !== undefined }), 1]] },
    ]),
  });
}
