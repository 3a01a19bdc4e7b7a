import type { PanelSpec, VariableSpec } from '../panels/panel-spec.js';
import { detectionsPanels, detectionsVariables } from './detections-panels.js';
import { overviewPanels, overviewVariables } from './overview-panels.js';
import { workloadPanels, workloadVariables } from './workload-panels.js';

export type PageName = 'overview' | 'workload' | 'detections';

export interface PageDefinition {
  readonly variables: VariableSpec[];
  readonly panels: PanelSpec[];
}

/** Every app page's variables and PromQL panels, for the scenes and for the query tests. */
export function allPages(): Record<PageName, PageDefinition> {
  return {
    overview: { variables: overviewVariables(), panels: overviewPanels() },
    workload: { variables: workloadVariables(), panels: workloadPanels() },
    detections: { variables: detectionsVariables(), panels: detectionsPanels() },
  };
}
