/**
 * The built plugin has the layout Grafana loads for an unsigned app plugin
 * (`allow_loading_unsigned_plugins = telltale-detector-app`): plugin.json with its placeholders
 * filled and valid against Grafana's schema, an AMD module.js whose imports are all modules
 * Grafana shares with plugins, the logo, README, LICENSE, CHANGELOG and the bundled dashboards.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { pluginJsonErrors } from '../../grafana-plugin/test/plugin-schema.js';
import { isSharedModule } from './harness/shared-modules.js';
import { ensurePluginBuilt, PLUGIN_DIST } from './workspace-build.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface DistPluginJson {
  id: string;
  type: string;
  dependencies: { grafanaDependency: string };
  info: { version: string; updated: string; logos: { small: string; large: string } };
  includes: Array<{ type: string; path: string }>;
}

let pluginJson: DistPluginJson;

beforeAll(async () => {
  await ensurePluginBuilt();
  pluginJson = JSON.parse(readFileSync(join(PLUGIN_DIST, 'plugin.json'), 'utf8')) as DistPluginJson;
}, 300_000);

describe('grafana-plugin/dist', () => {
  it("holds a plugin.json that Grafana's schema accepts, placeholders filled", () => {
    expect(pluginJsonErrors(pluginJson)).toEqual([]);
    const text = readFileSync(join(PLUGIN_DIST, 'plugin.json'), 'utf8');
    expect(text).not.toMatch(/%(VERSION|TODAY|PLUGIN_ID)%/);
    const packageJson = JSON.parse(readFileSync(join(repoRoot, 'grafana-plugin', 'package.json'), 'utf8')) as { version: string };
    expect(pluginJson.info.version).toBe(packageJson.version);
    expect(pluginJson.info.updated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(pluginJson).toMatchObject({ id: 'telltale-detector-app', type: 'app' });
    expect(pluginJson.includes.filter((i) => i.type === 'page').map((i) => i.path)).toContain('/a/telltale-detector-app/overview');
  });

  it('has an AMD module.js that imports only what Grafana shares with plugins', () => {
    const moduleJs = readFileSync(join(PLUGIN_DIST, 'module.js'), 'utf8');
    const deps = /define\((\[[^\]]*\])/.exec(moduleJs)?.[1];
    expect(deps, 'module.js is not an AMD module').toBeDefined();
    const imports = JSON.parse(deps ?? '[]') as string[];
    expect(imports.filter((d) => d !== 'module' && !isSharedModule(d))).toEqual([]);
    expect(imports).toEqual(expect.arrayContaining(['react', '@grafana/data', '@grafana/ui', '@grafana/runtime']));
  });

  it('asks for a Grafana that shares @grafana/runtime/unstable, which module.js imports', () => {
    const moduleJs = readFileSync(join(PLUGIN_DIST, 'module.js'), 'utf8');
    const imports = JSON.parse(/define\((\[[^\]]*\])/.exec(moduleJs)?.[1] ?? '[]') as string[];
    expect(imports).toContain('@grafana/runtime/unstable');
    // Built and tested against the @grafana/* 13.1.1 packages; older Grafanas lack that module.
    expect(pluginJson.dependencies.grafanaDependency).toBe('>=13.1.0');
  });

  it('ships the files Grafana and the plugin catalogue read', () => {
    for (const file of ['module.js', 'plugin.json', 'README.md', 'LICENSE', 'CHANGELOG.md', pluginJson.info.logos.small, pluginJson.info.logos.large]) {
      expect(existsSync(join(PLUGIN_DIST, file)), file).toBe(true);
    }
    expect(readFileSync(join(PLUGIN_DIST, 'README.md'), 'utf8')).toMatch(/allow_loading_unsigned_plugins/);
  });

  it('bundles the dashboards exactly as checked in under dashboards/', () => {
    const dashboards = pluginJson.includes.filter((i) => i.type === 'dashboard');
    expect(dashboards).toHaveLength(3);
    for (const d of dashboards) {
      expect(readFileSync(join(PLUGIN_DIST, d.path), 'utf8'), d.path).toBe(readFileSync(join(repoRoot, d.path), 'utf8'));
    }
  });
});
