import { describe, expect, it } from 'vitest';
import { startMetricsServer } from './metrics-server.js';

describe('startMetricsServer', () => {
  it('serves the current text on /metrics only, and closes idempotently', async () => {
    const server = await startMetricsServer('a 1\n');
    const url = `http://${server.address}`;
    expect(await (await fetch(`${url}/metrics`)).text()).toBe('a 1\n');
    server.setText('a 2\n');
    expect(await (await fetch(`${url}/metrics`)).text()).toBe('a 2\n');
    expect((await fetch(`${url}/other`)).status).toBe(404);
    await server.close();
    await server.close();
    await expect(fetch(`${url}/metrics`)).rejects.toThrow();
  });
});
