/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Renders every page of the built Grafana app (dist/module.js, loaded as an AMD module the way
 * Grafana loads it) in headless Chromium, against a real Prometheus holding the
 * learning-then-anomaly scenario and the real exporter serving the scenario's profiles over
 * the Profile API, and checks what each page shows.
 * Screenshots go to test/artifacts/plugin/.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learningThenAnomalyScenario, type Scenario, type ScenarioWorkload } from './fixtures/learning-then-anomaly.js';
import { buildHarness, grafanaAssets } from './harness-build.js';
import type { HarnessStatus } from './harness/harness-types.js';
import { startHarnessServer, type HarnessServer } from './harness-server.js';
import { startScenarioExporter, type ScenarioExporter } from './scenario-exporter.js';
import { ensurePluginBuilt, PLUGIN_DIST } from './workspace-build.js';
import { startScenarioPrometheus, type ScenarioPrometheus } from './scenario-prometheus.js';

const PLUGIN_ID = 'telltale-detector-app';
const DATASOURCE = { uid: 'telltale-scenario', name: 'Prometheus (scenario)' };
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts', 'plugin');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let scenario: Scenario;
let prometheus: ScenarioPrometheus;
let exporter: ScenarioExporter;
let harness: HarnessServer;
let browser: BrowserContext;
let userDataDir: string;
let bundleDir: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  await ensurePluginBuilt();
  // End the range 7.5 minutes past a ten-minute mark: uPlot clips a time label that falls on
  // the plot's right edge (in Grafana too), and screenshots should show whole labels.
  scenario = learningThenAnomalyScenario(Math.floor(Date.now() / 1000 / 600) * 600 - 150);
  prometheus = await startScenarioPrometheus(scenario);
  exporter = await startScenarioExporter(scenario);
  bundleDir = await mkdtemp(join(tmpdir(), 'telltale-harness-'));
  const bundle = await buildHarness(bundleDir);
  harness = await startHarnessServer({
    assets: grafanaAssets(),
    pluginDir: PLUGIN_DIST,
    bundleDir: bundle.dir,
    pluginId: PLUGIN_ID,
    prometheusUrl: prometheus.server.url,
    datasource: DATASOURCE,
    jsonData: { datasourceUid: DATASOURCE.uid, exporterUrl: exporter.url, alertThreshold: 0.9 },
  });
  userDataDir = await mkdtemp(join(tmpdir(), 'telltale-chromium-'));
  // A fresh profile per run; playwright passes it to Chromium as --user-data-dir.
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    viewport: { width: 1600, height: 1000 },
  });
  await mkdir(ARTIFACTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await harness?.stop();
  await exporter?.stop();
  await prometheus?.stop();
  for (const dir of [userDataDir, bundleDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

function range(): string {
  return `from=${scenario.start * 1000}&to=${scenario.end * 1000}`;
}

/** Opens a page of the harness and waits until the app has rendered and every panel has its data. */
async function open(path: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${path}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`${path}: console: ${message.text()}`);
  });
  await page.goto(`${harness.url}${path}`);
  await waitForApp(page);
  return page;
}

async function waitForApp(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as { harnessStatus?: HarnessStatus }).harnessStatus?.state !== 'loading', undefined, { timeout: 60_000 });
  const status = await page.evaluate(() => (window as { harnessStatus?: HarnessStatus }).harnessStatus);
  expect(status, JSON.stringify(status)).toEqual({ state: 'ready' });
}

/** Waits until every panel is Done or Error and every chart has drawn. */
async function waitForPanels(page: Page, expectedPanels: number): Promise<void> {
  await page.waitForFunction(
    (count) => {
      const panels = [...document.querySelectorAll('[data-testid^="panel-"]')];
      if (panels.length < count) return false;
      return panels.every((p) => ['Done', 'Error'].includes(p.getAttribute('data-state') ?? ''));
    },
    expectedPanels,
    { timeout: 60_000 },
  );
  await page.waitForFunction(chartsDrawn, undefined, { timeout: 30_000 });
  const failed = await page.$$eval('[data-testid^="panel-"][data-state="Error"]', (els) => els.map((e) => `${e.getAttribute('data-testid') ?? ''}: ${e.textContent ?? ''}`));
  expect(failed).toEqual([]);
}

/**
 * Panels must not overlap or stick out of the page, none may say "No data", and none may hide
 * content in a scroll area (a table whose last rows fall below the panel).
 */
async function expectCleanLayout(page: Page): Promise<void> {
  const clipped = await page.$$eval('[data-testid^="panel-"]', (panels) =>
    panels.flatMap((panel) =>
      [...panel.querySelectorAll('*')]
        // Scroll areas only: bar gauges clip their one-line labels' line height on purpose.
        .filter((e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowY) && e.scrollHeight > e.clientHeight + 2)
        .map((e) => `${panel.getAttribute('data-testid') ?? ''}: <${e.tagName.toLowerCase()}> shows ${e.clientHeight} of ${e.scrollHeight} px`),
    ),
  );
  expect(clipped, 'content cut off or scrolled inside a panel').toEqual([]);
  const boxes = await page.$$eval('[data-testid^="panel-"]', (els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { id: e.getAttribute('data-testid') ?? '', left: r.left, top: r.top, right: r.right, bottom: r.bottom, text: e.textContent ?? '' };
    }),
  );
  const width = await page.evaluate(() => document.documentElement.clientWidth);
  for (const box of boxes) {
    expect(box.right, `${box.id} sticks out of the page`).toBeLessThanOrEqual(width);
    expect(box.bottom - box.top, `${box.id} has no height`).toBeGreaterThan(50);
    expect(box.text, `${box.id} shows no data`).not.toMatch(/No data/);
  }
  for (const a of boxes) {
    for (const b of boxes) {
      if (a.id >= b.id) continue;
      const overlap = a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
      expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
    }
  }
}

/** The id the exporter's Profile API gives a workload's profile. */
async function profileIdFromApi(w: ScenarioWorkload): Promise<string> {
  const params = new URLSearchParams({ workload: w.labels.workload, workload_type: w.labels.workload_type });
  const body = (await (await fetch(`${exporter.url}/api/v1/profiles?${params.toString()}`)).json()) as { items: Array<{ id: string; container: string }> };
  const match = body.items.find((p) => p.container === w.labels.container);
  if (!match) throw new Error(`the Profile API has no profile for ${w.labels.workload}`);
  return match.id;
}

interface ApiProfileDetail {
  readonly entries: Record<string, Array<{ value: string; detail: string; addedAfterReady: boolean }>>;
  readonly recentAnomalies: readonly unknown[];
}

async function profileFromApi(id: string): Promise<ApiProfileDetail> {
  const response = await fetch(`${exporter.url}/api/v1/profiles/${encodeURIComponent(id)}`);
  if (!response.ok) throw new Error(`GET /api/v1/profiles/${id}: ${response.status}`);
  return (await response.json()) as ApiProfileDetail;
}

async function panelText(page: Page, key: string): Promise<string> {
  return (await page.locator(`[data-testid="panel-${key}"]`).innerText()).replace(/\s+/g, ' ');
}

/** True once every chart canvas on the page has drawn something. */
function chartsDrawn(): boolean {
  return [...document.querySelectorAll('canvas')].every((canvas) => {
    const context = canvas.getContext('2d');
    if (!context || canvas.width === 0) return false;
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) return true;
    return false;
  });
}

/**
 * Grows the viewport to the page's height first: a full-page capture would resize the page
 * while capturing, and charts redraw on resize. Then waits for the charts to redraw.
 */
async function screenshot(page: Page, name: string): Promise<void> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1600, height: Math.max(1000, height) });
  // Let resize observers and the charts' redraws run before checking the canvases.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await page.waitForFunction(chartsDrawn, undefined, { timeout: 30_000 });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  await page.setViewportSize({ width: 1600, height: 1000 });
}

describe('Grafana app in headless Chromium', () => {
  it('renders the Overview page with the scenario', async () => {
    const page = await open(`/a/${PLUGIN_ID}/overview?${range()}`);
    await waitForPanels(page, 10);
    await expectCleanLayout(page);
    expect(await panelText(page, 'profiles-by-state')).toMatch(/learning 2 ready 3 locked 1/);
    expect(await panelText(page, 'learning-overdue')).toMatch(/\b1\b/);
    expect(await panelText(page, 'loader-restarts')).toMatch(/\b1\b/);
    expect(await panelText(page, 'event-loss-ratio')).toMatch(/0\.7\d\s?%/);
    const top = await panelText(page, 'top-workloads');
    for (const name of ['system.slice/nginx.service', 'redis', 'frontend', 'api']) expect(top).toContain(name);
    expect(top).not.toContain('build-runner');
    const detections = await panelText(page, 'detections-by-rule');
    expect(detections).toMatch(/reverse-shell · critical 2/);
    expect(detections).toMatch(/crypto-miner · critical 1/);
    expect(await panelText(page, 'learning-progress')).toMatch(/build-runner 62\.\d%/);
    expect(await panelText(page, 'events-lost')).toContain('ringbuf_full');
    await screenshot(page, 'overview');
    // Hovering the score chart near its end shows every workload's score there, highest first.
    const plot = page.locator('[data-testid="panel-top-workloads"] .u-over');
    const box = await plot.boundingBox();
    if (!box) throw new Error('the score chart has no plot area');
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2);
    const tooltip = page.getByTestId('data-testid viz-tooltip-wrapper');
    await expect.poll(async () => (await tooltip.count()) > 0 && (await tooltip.innerText()).replace(/\s+/g, ' ')).toMatch(/system\.slice\/nginx\.service 0\.9\d/);
    await page.screenshot({ path: join(ARTIFACTS, 'overview-tooltip.png'), clip: { x: box.x - 20, y: box.y - 60, width: box.width + 40, height: box.height + 160 } });
    await page.close();
  });

  it('renders the Workload page for the anomalous workload, baseline included', async () => {
    const nginx = scenario.workload('nginx');
    const page = await open(
      `/a/${PLUGIN_ID}/workload?${range()}&var-namespace=&var-workload=${encodeURIComponent(nginx.labels.workload)}&var-workload_type=cgroup&var-container=`,
    );
    await waitForPanels(page, 12);
    await expectCleanLayout(page);
    expect(await panelText(page, 'profile-state')).toContain('ready');
    expect(await panelText(page, 'learning-progress')).toMatch(/100\s?%/);
    expect(await panelText(page, 'score-now')).toMatch(/0\.9\d/);
    // Six incident items plus logrotate's first run and its rotated log, both new after ready.
    expect(await panelText(page, 'anomaly-count')).toMatch(/\b8\b/);
    expect(await panelText(page, 'category-scores')).toMatch(/overall.*capability.*dns.*exec/);
    expect(await panelText(page, 'recent-rule-hits')).toMatch(/critical crypto-miner pool\.minexmr\.com/);
    // Recent novel items come from PromQL: a --no-sensor exporter has no recent anomalies to serve.
    const novelItems = page.locator('[data-testid="panel-recent-novel-items"]');
    expect(await panelText(page, 'recent-novel-items')).toContain('/tmp/.x/xmrig');
    const id = await profileIdFromApi(nginx);
    expect(id).toBe(scenario.profile(nginx).id);
    const profile = await profileFromApi(id);
    expect(profile.recentAnomalies).toEqual([]);
    const baseline = page.locator('[data-testid="panel-baseline"]');
    expect(await baseline.innerText()).toContain(id);
    // It opens on executables: entries learned after the profile became ready are marked there.
    // nginx kept learning once ready: logrotate's first run and the novel nc went in; the shell
    // the reverse-shell rule flagged did not.
    const newExecs = profile.entries['exec']?.filter((e) => e.addedAfterReady).map((e) => e.value);
    expect(newExecs?.sort()).toEqual(['/usr/bin/nc', '/usr/sbin/logrotate']);
    expect(await baseline.getByText('new since ready', { exact: true }).count()).toBe(newExecs?.length);
    const execText = await baseline.innerText();
    for (const value of newExecs ?? []) expect(execText).toContain(value);
    expect(execText).not.toMatch(/\bsh -i\b/);
    // The detail of an exec entry is its learned argv pattern.
    expect(execText).toContain('nginx -g daemon off;');
    await screenshot(page, 'workload');
    // Eight novel items, five a page: the older three, logrotate's first run among them, on page 2.
    await novelItems.getByRole('button', { name: '2', exact: true }).click();
    await expect.poll(async () => novelItems.innerText()).toContain('/usr/sbin/logrotate');
    expect(await novelItems.innerText()).toContain('/usr/bin/nc');
    await baseline.getByTestId('baseline-tab-file').click();
    await expect.poll(async () => baseline.innerText()).toContain('/var/log/nginx/access.log.1');
    await screenshot(page, 'workload-baseline-files');
    expect(harness.requests.some((r) => r.startsWith(`GET /api/plugin-proxy/${PLUGIN_ID}/exporter/api/v1/profiles?`))).toBe(true);
    await page.close();
  });

  it('renders a workload that is still learning: progress, rule hits, no score yet', async () => {
    const runner = scenario.workload('build-runner');
    const page = await open(
      `/a/${PLUGIN_ID}/workload?${range()}&var-namespace=&var-workload=build-runner&var-workload_type=container&var-container=build-runner`,
    );
    await waitForPanels(page, 12);
    await expectCleanLayout(page);
    expect(await panelText(page, 'profile-state')).toContain('learning');
    expect(await panelText(page, 'learning-progress')).toMatch(/6[12]\s?%/);
    expect(await panelText(page, 'category-scores')).toContain('No deviation score yet');
    expect(await panelText(page, 'recent-rule-hits')).toMatch(/warning ptrace-attach gdb attach pid 4242/);
    expect(await panelText(page, 'recent-novel-items')).toContain('No novel items');
    expect(await page.locator('[data-testid="panel-baseline"]').innerText()).toContain(await profileIdFromApi(runner));
    await screenshot(page, 'workload-learning');
    await page.close();
  });

  it('opens the Overview from the app root', async () => {
    const page = await open(`/a/${PLUGIN_ID}?${range()}`);
    await page.waitForURL(/\/a\/telltale-detector-app\/overview\?/);
    expect(new URL(page.url()).searchParams.get('from')).toBe(String(scenario.start * 1000));
    await waitForPanels(page, 10);
    await page.close();
  });

  it('renders the Detections page, filters it and drills down into a workload', async () => {
    const page = await open(`/a/${PLUGIN_ID}/detections?${range()}`);
    await waitForPanels(page, 3);
    await expectCleanLayout(page);
    const hits = scenario.workloads.reduce(
      (n, w) => n + new Set(w.ruleHits.map((h) => `${h.rule}|${h.item}`)).size + new Set(scenario.anomalies(w).map((a) => `${a.category}|${a.item}`)).size,
      0,
    );
    const table = page.locator('[data-testid="panel-detections-table"]');
    expect(await table.innerText()).toContain(`${hits} of ${hits}`);
    await screenshot(page, 'detections');
    await table.getByPlaceholder('Filter by rule, item, workload…').fill('redis');
    // redis: its exec-from-temp hit and three anomalies (the replica name, the temp exec and file).
    await expect.poll(async () => table.innerText()).toContain(`4 of ${hits}`);
    await screenshot(page, 'detections-filtered');
    await table.getByRole('link', { name: 'redis' }).first().click();
    await page.waitForURL(/\/workload\?/);
    await waitForApp(page);
    await waitForPanels(page, 12);
    const url = new URL(page.url());
    expect(url.searchParams.get('var-workload')).toBe('redis');
    expect(url.searchParams.get('var-container')).toBe('redis');
    expect(await page.locator('[data-testid="panel-baseline"]').innerText()).toContain(await profileIdFromApi(scenario.workload('redis')));
    await screenshot(page, 'workload-drilldown-redis');
    await page.close();
  });

  it('filters the Detections page by severity with the variable picker', async () => {
    const page = await open(`/a/${PLUGIN_ID}/detections?${range()}`);
    await waitForPanels(page, 3);
    const distinct = <T>(items: readonly T[], key: (item: T) => string): number => new Set(items.map(key)).size;
    const anomalies = scenario.workloads.reduce((n, w) => n + distinct(scenario.anomalies(w), (a) => `${a.category}|${a.item}`), 0);
    const ruleHits = (severity?: string): number =>
      scenario.workloads.reduce((n, w) => n + distinct(w.ruleHits.filter((h) => severity === undefined || h.severity === severity), (h) => `${h.rule}|${h.item}`), 0);
    const table = page.locator('[data-testid="panel-detections-table"]');
    const all = ruleHits() + anomalies;
    expect(await table.innerText()).toContain(`${all} of ${all}`);
    // Pick "critical" in the Severity picker; a multi-value picker applies the choice when it closes.
    const picker = page.getByLabel('Severity', { exact: true });
    await picker.click();
    // Grafana's e2e selector for a picker option (selectors.pages.Dashboard.SubMenu.submenuItemValueDropDownOptionTexts).
    await page.getByTestId('data-testid Dashboard template variables Variable Value DropDown option text critical').click();
    await picker.blur();
    await page.waitForURL(/[?&]var-severity=critical(&|$)/);
    // Severity narrows rule hits only: anomalies carry no severity, so all of them stay.
    const critical = ruleHits('critical') + anomalies;
    expect(critical).toBeLessThan(all);
    await expect.poll(async () => table.innerText()).toContain(`${critical} of ${critical}`);
    await waitForPanels(page, 3);
    expect(await table.innerText()).not.toContain('exec-from-temp');
    expect(await table.innerText()).toContain('reverse-shell');
    await screenshot(page, 'detections-severity');
    await page.close();
  });

  it('configures the app: data source, exporter URL through the plugin proxy, and alert threshold', async () => {
    const page = await open(`/plugins/${PLUGIN_ID}`);
    const form = page.getByTestId('telltale-app-config');
    await expect.poll(async () => form.innerText()).toContain(DATASOURCE.name);
    expect(await page.locator('#exporter-url').inputValue()).toBe(exporter.url);
    await page.getByRole('button', { name: 'Test exporter API' }).click();
    await expect.poll(async () => form.innerText()).toContain(`Reached the exporter API: ${scenario.workloads.length} profiles.`);
    await screenshot(page, 'config');
    await page.locator('#alert-threshold').fill('1.5');
    expect(await form.innerText()).toContain('Alert threshold must be above 0 and at most 1, got 1.5');
    expect(await page.getByRole('button', { name: 'Save settings' }).isDisabled()).toBe(true);
    await page.locator('#alert-threshold').fill('0.8');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => harness.settings().jsonData['alertThreshold']).toBe(0.8);
    expect(harness.settings().jsonData).toMatchObject({ datasourceUid: DATASOURCE.uid, exporterUrl: exporter.url });
    await page.close();
  });

  it('logged no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
