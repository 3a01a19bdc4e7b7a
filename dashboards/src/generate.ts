import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { overviewDashboard } from './overview-dashboard.js';
import { sensorHealthDashboard } from './sensor-health-dashboard.js';
import { workloadDetailDashboard } from './workload-detail-dashboard.js';

/** The checked-in dashboards by file name (in dashboards/), as generated now. */
export function generateDashboards(): Record<string, Dashboard> {
  const dashboards = [overviewDashboard(), workloadDetailDashboard(), sensorHealthDashboard()];
  return Object.fromEntries(dashboards.map((d) => [`${d.uid ?? ''}.json`, withPanelIds(d)]));
}

/** Grafana keys panels by id; number them in layout order so diffs stay readable. */
function withPanelIds(dashboard: Dashboard): Dashboard {
  return { ...dashboard, panels: (dashboard.panels ?? []).map((p, i) => ({ ...p, id: i + 1 })) };
}

export function serialize(dashboard: Dashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
