import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GrafanaAssets } from './harness-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');

/**
 * Grafana's icons and fonts from npm: @grafana/ui ships most icons (harness/icons has the two
 * it lacks), and @fontsource has Inter and Roboto Mono.
 */
export function grafanaAssets(): GrafanaAssets {
  const modules = join(repoRoot, 'node_modules');
  const inter = join(modules, '@fontsource', 'inter', 'files');
  return {
    iconDirs: [join(modules, '@grafana', 'ui', 'dist', 'public', 'img', 'icons'), join(here, 'harness', 'icons')],
    fonts: {
      'inter/Inter-Regular.woff2': join(inter, 'inter-latin-400-normal.woff2'),
      'inter/Inter-Medium.woff2': join(inter, 'inter-latin-500-normal.woff2'),
      'inter/Inter-Italic.woff2': join(inter, 'inter-latin-400-italic.woff2'),
      'inter/Inter-MediumItalic.woff2': join(inter, 'inter-latin-500-italic.woff2'),
      'roboto/L0xTDF4xlVMF-BfR8bXMIhJHg45mwgGEFl0_3vrtSM1J-gEPT5Ese6hmHSh0mQ.woff2': join(modules, '@fontsource', 'roboto-mono', 'files', 'roboto-mono-latin-400-normal.woff2'),
    },
  };
}

export interface HarnessBundle {
  readonly dir: string;
  readonly js: string;
  readonly css: string | undefined;
}

/**
 * Bundles the harness page (harness/main.tsx) with real React, @grafana/data, ui, runtime and
 * friends, resolved from the plugin's workspace so the harness shares exactly the versions the
 * plugin was built against.
 */
export async function buildHarness(outDir: string): Promise<HarnessBundle> {
  await build({
    entryPoints: { harness: join(here, 'harness', 'main.tsx') },
    outdir: outDir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    minify: false,
    sourcemap: false,
    logLevel: 'error',
    nodePaths: [join(repoRoot, 'grafana-plugin', 'node_modules'), join(repoRoot, 'node_modules')],
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    plugins: [
      {
        name: 'grafana-internals',
        setup(b) {
          // Grafana ships one react-router v6; @grafana/ui's react-router-dom-v5-compat (whose
          // Link TextLink renders) must see the same Router context the app root provides.
          b.onResolve({ filter: /^react-router$/ }, (args) =>
            args.importer.includes('/react-router-dom-v5-compat/') ? { path: join(repoRoot, 'node_modules', 'react-router', 'dist', 'index.js') } : undefined,
          );
          b.onResolve({ filter: /^grafana-internal:runtime\/plugin-page$/ }, () => ({
            path: join(repoRoot, 'node_modules', '@grafana', 'runtime', 'dist', 'esm', 'components', 'PluginPage.mjs'),
          }));
        },
      },
    ],
    loader: { '.svg': 'dataurl', '.png': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.eot': 'dataurl' },
  });
  const css = join(outDir, 'harness.css');
  return { dir: outDir, js: join(outDir, 'harness.js'), css: existsSync(css) ? css : undefined };
}
