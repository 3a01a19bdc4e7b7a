import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleValue } from '../support/exposition.js';
import { startExporter, type RunningExporter } from '../support/exporter.js';
import { createTestPodman, type TestPodman } from '../support/podman.js';
import { waitFor } from '../support/wait-for.js';

describe('standalone attribution of a podman container', () => {
  let exporter: RunningExporter;
  let podman: TestPodman;

  beforeAll(async () => {
    podman = await createTestPodman();
    // The storage root gives the image (the workload version); names alone would come from conmon.
    exporter = await startExporter({ args: ['--container-storage', podman.storageRoot] });
  });
  afterAll(async () => {
    await exporter?.stop();
    await podman?.cleanup();
  });

  it('labels the container by its name, with workload_type="container"', async () => {
    await podman.runDetached('telltale-e2e-web', 'cat /bin/busybox > /dev/null; echo started; sleep 600');
    const labels = { namespace: '', workload: 'telltale-e2e-web', workload_type: 'container', container: '' };
    const samples = await waitFor(
      async () => {
        const metrics = await exporter.metrics();
        return (sampleValue(metrics, 'telltale_observations_total', { ...labels, category: 'exec' }) ?? 0) > 0 ? metrics : undefined;
      },
      { description: 'observations of the container under its name', timeoutMs: 30_000 },
    );
    expect(sampleValue(samples, 'telltale_observations_total', { ...labels, category: 'file' })).toBeGreaterThan(0);
    const execs = exporter
      .logs()
      .filter((line) => line['msg'] === 'observation' && line['workload'] === 'telltale-e2e-web' && line['category'] === 'exec')
      .map((line) => line['item']);
    // The container sees its own root: busybox is /bin/busybox inside, not the storage path on the host.
    expect(execs).toContain('/bin/busybox');

    // The profile records the image the container runs as the workload's version.
    const image = await podman.podman(['inspect', '--format', '{{.Image}}', 'telltale-e2e-web']);
    const page = (await (await fetch(`${exporter.url}/api/v1/profiles?workload=telltale-e2e-web`)).json()) as { items: Array<{ version: string | null; workloadType: string }> };
    expect(page.items).toEqual([expect.objectContaining({ workloadType: 'container', version: image })]);
  });
});
