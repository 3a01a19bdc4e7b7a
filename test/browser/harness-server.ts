import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { basename, dirname, extname, join, normalize } from 'node:path';
import { closerFor, listenOnLoopback } from '../support/loopback-http.js';
import type { HarnessConfig, PluginSettings } from './harness/harness-types.js';

/** Where Grafana's own static assets the app's components ask for come from in the harness. */
export interface GrafanaAssets {
  /** Folders laid out like Grafana's public/build/img/icons/, searched in order. */
  readonly iconDirs: readonly string[];
  /** Grafana's web fonts by the path GlobalStyles asks for, e.g. `inter/Inter-Regular.woff2`. */
  readonly fonts: Readonly<Record<string, string>>;
}

export interface HarnessServerOptions {
  readonly assets: GrafanaAssets;
  /** The built plugin (grafana-plugin/dist), served as Grafana serves public/plugins/<id>/. */
  readonly pluginDir: string;
  /** The harness bundle from buildHarness. */
  readonly bundleDir: string;
  readonly pluginId: string;
  readonly prometheusUrl: string;
  readonly datasource: { readonly uid: string; readonly name: string };
  /** Initial app settings (jsonData as the Config page saves it). */
  readonly jsonData: Record<string, unknown>;
}

export interface HarnessServer {
  readonly url: string;
  /** The app's settings as last saved through POST /api/plugins/<id>/settings. */
  settings(): PluginSettings;
  /** Requests the stand-in answered, for assertions on what the app asked Grafana for. */
  readonly requests: readonly string[];
  stop(): Promise<void>;
}

interface PluginRoute {
  readonly path: string;
  readonly method?: string;
  readonly url: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.md': 'text/markdown; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * Stands in for a Grafana server, which does not run here, speaking Grafana's HTTP API to the
 * app: the data source proxy (`/api/datasources/proxy/uid/<uid>/...` to the real Prometheus),
 * the app's plugin proxy (`/api/plugin-proxy/<id>/<route>/...`, routes and url templates read
 * from the built plugin.json, as Grafana does), plugin settings, and the plugin's static files.
 */
export async function startHarnessServer(options: HarnessServerOptions): Promise<HarnessServer> {
  const pluginJson = JSON.parse(await readFile(join(options.pluginDir, 'plugin.json'), 'utf8')) as { id: string; routes?: PluginRoute[] };
  if (pluginJson.id !== options.pluginId) throw new Error(`dist/plugin.json is ${pluginJson.id}, expected ${options.pluginId}`);
  let settings: PluginSettings = { id: options.pluginId, enabled: true, pinned: true, jsonData: { ...options.jsonData } };
  const requests: string[] = [];

  const server = createServer((req, res) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    route(req, res).catch((error: unknown) => sendJson(res, 500, { message: error instanceof Error ? error.message : String(error) }));
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://harness');
    const path = url.pathname;
    const dsPrefix = `/api/datasources/proxy/uid/${options.datasource.uid}/`;
    if (path.startsWith(dsPrefix)) {
      await proxy(req, res, `${options.prometheusUrl}/${path.slice(dsPrefix.length)}${url.search}`);
      return;
    }
    const pluginProxyPrefix = `/api/plugin-proxy/${options.pluginId}/`;
    if (path.startsWith(pluginProxyPrefix)) {
      const rest = path.slice(pluginProxyPrefix.length);
      const match = (pluginJson.routes ?? []).find((r) => rest === r.path || rest.startsWith(`${r.path}/`));
      if (!match) return sendJson(res, 404, { message: `plugin route not found for ${rest}` });
      if (match.method && match.method !== req.method) return sendJson(res, 405, { message: `route ${match.path} allows ${match.method} only` });
      const target = renderRouteUrl(match.url, settings.jsonData);
      if (!target) return sendJson(res, 502, { message: `route ${match.path} has no target: set it on the Config page` });
      await proxy(req, res, `${target.replace(/\/$/, '')}${rest.slice(match.path.length)}${url.search}`);
      return;
    }
    if (path === `/api/plugins/${options.pluginId}/settings`) {
      if (req.method === 'POST') {
        const body = JSON.parse(await readBody(req)) as Partial<PluginSettings>;
        settings = { ...settings, enabled: body.enabled ?? settings.enabled, pinned: body.pinned ?? settings.pinned, jsonData: body.jsonData ?? settings.jsonData };
        return sendJson(res, 200, { message: 'Plugin settings updated' });
      }
      return sendJson(res, 200, settings);
    }
    if (path === '/harness/config.json') {
      const config: HarnessConfig = { pluginId: options.pluginId, moduleUrl: `/public/plugins/${options.pluginId}/module.js`, datasource: options.datasource };
      return sendJson(res, 200, config);
    }
    if (path.startsWith('/harness/')) return sendFile(res, options.bundleDir, path.slice('/harness/'.length));
    if (path.startsWith('/public/build/img/icons/')) {
      const relative = path.slice('/public/build/img/icons/'.length);
      const dir = options.assets.iconDirs.find((d) => existsSync(join(d, relative)));
      if (!dir) return sendJson(res, 404, { message: `no icon ${relative}` });
      return sendFile(res, dir, relative);
    }
    if (path.startsWith('/public/fonts/')) {
      const font = options.assets.fonts[path.slice('/public/fonts/'.length)];
      if (!font) return sendJson(res, 404, { message: `no font ${path}` });
      return sendFile(res, dirname(font), basename(font));
    }
    const pluginPrefix = `/public/plugins/${options.pluginId}/`;
    if (path.startsWith(pluginPrefix)) return sendFile(res, options.pluginDir, path.slice(pluginPrefix.length));
    if (path.startsWith('/api/')) return sendJson(res, 404, { message: `the harness does not serve ${path}` });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(indexHtml());
  }

  const port = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${port}`, settings: () => settings, requests, stop: closerFor(server) };
}

/** Grafana renders plugin route URLs as Go templates over the app's settings; the app uses `{{ .JsonData.x }}`. */
export function renderRouteUrl(template: string, jsonData: Record<string, unknown>): string {
  return template.replace(/\{\{\s*\.JsonData\.(\w+)\s*\}\}/g, (_, key: string) => {
    const value = jsonData[key];
    return typeof value === 'string' ? value : '';
  });
}

function indexHtml(): string {
  const bootData = {
    settings: { appSubUrl: '', appUrl: '/', buildInfo: { version: '13.1.1', commit: 'harness', env: 'production' }, featureToggles: {} },
    user: { theme: 'dark', lightTheme: false, timezone: 'browser', orgId: 1, login: 'admin', isSignedIn: true, orgRole: 'Admin' },
    navTree: [],
    assets: { dark: '', light: '' },
  };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<base href="/" />
<title>Telltale app harness</title>
<link rel="stylesheet" href="/harness/harness.css" />
<script>window.grafanaBootData = ${JSON.stringify(bootData)};</script>
</head>
<body>
<div id="root"></div>
<script src="/harness/harness.js"></script>
</body>
</html>
`;
}

async function proxy(req: IncomingMessage, res: ServerResponse, target: string): Promise<void> {
  const method = req.method ?? 'GET';
  const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
  const contentType = req.headers['content-type'];
  const upstream = await fetch(target, { method, body, headers: contentType ? { 'content-type': contentType } : {} });
  res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream' });
  res.end(Buffer.from(await upstream.arrayBuffer()));
}

async function sendFile(res: ServerResponse, root: string, relative: string): Promise<void> {
  const path = normalize(join(root, decodeURIComponent(relative)));
  if (!path.startsWith(normalize(root))) return sendJson(res, 403, { message: 'outside the served folder' });
  try {
    const content = await readFile(path);
    res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' });
    res.end(content);
  } catch {
    sendJson(res, 404, { message: `no file ${relative}` });
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
