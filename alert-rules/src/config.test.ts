import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, mergeOverlay } from './config.js';
import { DEFAULT_CONFIG, FAST_CONFIG } from './paths.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'telltale-alert-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function overlayFile(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('loadConfig', () => {
  it('reads the shipped defaults', async () => {
    const config = await loadConfig([DEFAULT_CONFIG]);
    expect(config.deviation).toEqual({ threshold: 0.9, for: '1m', keepFiringFor: '10m', severity: 'warning' });
    expect(config.exporterSelector).toEqual([{ name: 'job', op: '=', value: 'telltale' }]);
    expect(config.groupInterval).toBeNull();
    expect(config.novelItems.sensitiveFiles).toContain('/etc/shadow-?');
  });

  it('overlays later files and explicit overrides, keeping what they do not mention', async () => {
    const config = await loadConfig([DEFAULT_CONFIG, FAST_CONFIG], { exporterSelector: 'job="telltale-e2e"' });
    expect(config.groupInterval).toBe('1s');
    expect(config.deviation).toEqual({ threshold: 0.9, for: '2s', keepFiringFor: '5s', severity: 'warning' });
    expect(config.exporterSelector).toEqual([{ name: 'job', op: '=', value: 'telltale-e2e' }]);
    expect(config.novelItems.sensitiveFiles.length).toBeGreaterThan(5);
  });

  it('names the file and the key of a typo', async () => {
    const typo = await overlayFile('typo.yaml', 'deviation:\n  treshold: 0.8\n');
    await expect(loadConfig([DEFAULT_CONFIG, typo])).rejects.toThrow(/typo\.yaml: deviation: unknown key treshold at deviation; known: threshold/);
  });

  it('rejects values Prometheus would reject or that make no sense, naming them', async () => {
    const cases: ReadonlyArray<[string, RegExp]> = [
      ['deviation: {for: 1.5m}', /deviation\.for: expected a Prometheus duration .* got "1\.5m"/],
      ['deviation: {threshold: 1.5}', /deviation\.threshold: expected a number in \(0, 1\], got 1\.5/],
      ['deviation: {severity: high}', /deviation\.severity: expected one of critical, warning, info, got "high"/],
      ['exporterSelector: job=telltale', /exporterSelector: cannot read a label matcher at "job=telltale"/],
      ['exporterSelector: \'job=~"t.*"\'', /exporterSelector: needs at least one equality matcher/],
      ['novelItems: {sensitiveFiles: ["/etc/(shadow"]}', /novelItems\.sensitiveFiles\[0\]: not a valid regular expression/],
      ['novelItems: {sensitiveFiles: []}', /novelItems\.sensitiveFiles: expected a non-empty list/],
      ['loaderRestarts: {threshold: 0}', /loaderRestarts\.threshold: expected a whole number ≥ 1, got 0/],
      ['runbookBaseUrl: runbooks/', /runbookBaseUrl: expected an absolute URL/],
      ['behaviouralRules: 5m', /behaviouralRules: expected a mapping at behaviouralRules, got "5m"/],
      // Recording rules were removed (no dashboard or alert read them): an old config says so instead of passing silently.
      ['recording: {rateWindow: 5m}', /unknown key recording/],
    ];
    for (const [index, [yaml, message]] of cases.entries()) {
      const file = await overlayFile(`bad-${index}.yaml`, `${yaml}\n`);
      const error = await loadConfig([DEFAULT_CONFIG, file]).catch((caught: unknown) => caught);
      expect(error, yaml).toBeInstanceOf(ConfigError);
      expect((error as Error).message, yaml).toMatch(message);
    }
  });

  it('reports unreadable YAML with the file name', async () => {
    const broken = await overlayFile('broken.yaml', 'deviation: [\n');
    await expect(loadConfig([broken])).rejects.toThrow(/broken\.yaml: /);
    await expect(loadConfig([join(dir, 'missing.yaml')])).rejects.toThrow(/missing\.yaml: .*ENOENT/);
    await expect(loadConfig([])).rejects.toThrow(/no config file given/);
  });
});

describe('mergeOverlay', () => {
  it('merges mappings deeply and replaces lists', () => {
    expect(mergeOverlay({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, e: 2 })).toEqual({ a: { b: 1, c: [3] }, d: 1, e: 2 });
  });
});
