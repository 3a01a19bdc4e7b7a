import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pluginJsonErrors } from '../test/plugin-schema.js';
import { EXPORTER_PROXY_BASE, PLUGIN_ID, ROUTES } from './constants.js';

const here = dirname(fileURLToPath(import.meta.url));
const pluginJson = JSON.parse(readFileSync(join(here, 'plugin.json'), 'utf8')) as {
  id: string;
  includes: Array<{ type: string; name: string; path: string; addToNav?: boolean; defaultNav?: boolean }>;
  routes: Array<{ path: string; method?: string; url: string }>;
  dependencies: { grafanaDependency: string };
};
const packageJson = JSON.parse(readFileSync(join(here, '..', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

describe('src/plugin.json', () => {
  it("validates against Grafana's plugin.json schema", () => {
    expect(pluginJsonErrors(pluginJson)).toEqual([]);
  });

  it('is rejected by the schema when it is wrong, so the check above can fail', () => {
    expect(pluginJsonErrors({ ...pluginJson, id: 'Telltale' }).join('\n')).toMatch(/\/id must match pattern/);
    expect(pluginJsonErrors({ ...pluginJson, routes: [{ path: 'x', url: 'y', surprise: true }] }).join('\n')).toMatch(/must NOT have additional properties/);
  });

  it('has a page for every app route, Overview as the default', () => {
    const pages = pluginJson.includes.filter((i) => i.type === 'page' && i.path.startsWith('/a/'));
    expect(pages.map((p) => p.path)).toEqual(Object.values(ROUTES).map((r) => `/a/%PLUGIN_ID%/${r}`));
    expect(pages.filter((p) => p.defaultNav).map((p) => p.name)).toEqual(['Overview']);
    expect(pluginJson.id).toBe(PLUGIN_ID);
  });

  it('bundles each generated dashboard, by the file name of its uid', () => {
    const dashboards = pluginJson.includes.filter((i) => i.type === 'dashboard');
    expect(dashboards.map((d) => d.path)).toEqual([
      'dashboards/telltale-overview.json',
      'dashboards/telltale-workload-detail.json',
      'dashboards/telltale-sensor-health.json',
    ]);
    for (const d of dashboards) {
      const file = join(here, '..', '..', d.path);
      expect(existsSync(file), file).toBe(true);
      const dashboard = JSON.parse(readFileSync(file, 'utf8')) as { uid: string; title: string };
      expect(`dashboards/${dashboard.uid}.json`).toBe(d.path);
      expect(dashboard.title).toBe(d.name);
    }
  });

  it('asks for the Grafana minor it is built against: the build imports @grafana/runtime/unstable, which older ones lack', () => {
    const [major, minor] = (packageJson.dependencies['@grafana/runtime'] ?? '').split('.');
    expect(pluginJson.dependencies.grafanaDependency).toBe(`>=${major}.${minor}.0`);
    expect(pluginJson.dependencies.grafanaDependency).toBe('>=13.1.0');
  });

  it('proxies the exporter API, read-only, to the URL set on the Config page', () => {
    expect(pluginJson.routes).toEqual([expect.objectContaining({ path: 'exporter', method: 'GET', url: '{{ .JsonData.exporterUrl }}' })]);
    expect(EXPORTER_PROXY_BASE).toBe(`/api/plugin-proxy/${PLUGIN_ID}/exporter`);
  });
});
