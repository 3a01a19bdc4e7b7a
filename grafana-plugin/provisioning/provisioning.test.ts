import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readAppSettings } from '../src/app-settings.js';
import { PLUGIN_ID } from '../src/constants.js';

const here = dirname(fileURLToPath(import.meta.url));
const read = (file: string): unknown => parse(readFileSync(join(here, file), 'utf8'));

describe('provisioning', () => {
  it('enables this app with settings the app accepts, pointing at the provisioned Prometheus', () => {
    const app = read('plugins/app.yaml') as { apps: Array<{ type: string; disabled: boolean; jsonData: Record<string, unknown> }> };
    const datasources = read('datasources/prometheus.yaml') as { datasources: Array<{ uid: string; type: string }> };
    const [entry] = app.apps;
    expect(entry?.type).toBe(PLUGIN_ID);
    expect(entry?.disabled).toBe(false);
    const settings = readAppSettings(entry?.jsonData);
    expect(settings).toEqual({ datasourceUid: 'telltale-prometheus', exporterUrl: 'http://telltale.telltale.svc:9310', alertThreshold: 0.9 });
    expect(datasources.datasources).toEqual([expect.objectContaining({ uid: settings.datasourceUid, type: 'prometheus' })]);
  });
});
