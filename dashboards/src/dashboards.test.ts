import type { Dashboard, Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateDashboards, serialize } from './generate.js';

const dashboardsDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const generated = generateDashboards();

interface Target {
  readonly expr?: string;
  readonly refId?: string;
  readonly datasource?: { readonly type?: string; readonly uid?: string };
}

function targetsOf(panel: Panel): Target[] {
  return (panel.targets ?? []) as Target[];
}

describe('checked-in dashboards', () => {
  it('are exactly what the generator produces now (run `npm run generate -w @telltale/dashboards`)', () => {
    const onDisk = readdirSync(dashboardsDir).filter((f) => f.startsWith('telltale-') && f.endsWith('.json')).sort();
    expect(onDisk).toEqual(Object.keys(generated).sort());
    for (const [file, dashboard] of Object.entries(generated)) {
      expect(readFileSync(join(dashboardsDir, file), 'utf8'), file).toBe(serialize(dashboard));
    }
  });

  it('have stable uids that match their file names', () => {
    expect(Object.values(generated).map((d) => d.uid)).toEqual(['telltale-overview', 'telltale-workload-detail', 'telltale-sensor-health']);
    for (const [file, dashboard] of Object.entries(generated)) {
      expect(file).toBe(`${dashboard.uid ?? ''}.json`);
    }
  });
});

describe.each(Object.entries(generated))('%s', (_file, dashboard: Dashboard) => {
  const variables = dashboard.templating?.list ?? [];
  const panels = (dashboard.panels ?? []) as Panel[];

  it('has a Prometheus data source variable and namespace and workload variables', () => {
    const byName = new Map(variables.map((v) => [v.name, v]));
    expect(byName.get('datasource')).toMatchObject({ type: 'datasource', query: 'prometheus' });
    expect(byName.get('namespace')).toMatchObject({ type: 'query', includeAll: true, allValue: '.*' });
    expect(byName.get('workload')).toMatchObject({ type: 'query' });
    for (const v of variables.filter((x) => x.type === 'query')) {
      expect(v.datasource, v.name).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(String(v.query), v.name).toMatch(/^label_values\(telltale_[a-z_]+(\{.*\})?, [a-z_]+\)$/);
    }
  });

  it('queries the selected data source from every panel, with PromQL in every target', () => {
    expect(panels.length).toBeGreaterThan(5);
    for (const panel of panels) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      const targets = targetsOf(panel);
      expect(targets.length, panel.title).toBeGreaterThan(0);
      for (const target of targets) {
        expect(target.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
        expect(target.expr, panel.title).toMatch(/telltale_/);
      }
      expect(new Set(targets.map((t) => t.refId)).size, `${panel.title} refIds`).toBe(targets.length);
    }
  });

  it('lays panels out on the 24-column grid without overlaps', () => {
    const cells = new Set<string>();
    for (const panel of panels) {
      const { x, y, w, h } = panel.gridPos ?? { x: -1, y: -1, w: 0, h: 0 };
      expect(x, panel.title).toBeGreaterThanOrEqual(0);
      expect(x + w, panel.title).toBeLessThanOrEqual(24);
      expect(h, panel.title).toBeGreaterThan(0);
      for (let i = x; i < x + w; i++) {
        for (let j = y; j < y + h; j++) {
          const cell = `${i},${j}`;
          expect(cells.has(cell), `${panel.title} overlaps at ${cell}`).toBe(false);
          cells.add(cell);
        }
      }
    }
  });

  it('gives every panel a unique id and a title', () => {
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    for (const panel of panels) expect(panel.title).toMatch(/\S/);
  });
});
