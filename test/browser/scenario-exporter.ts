import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilesystemProfileStore } from '../../exporter/src/profiles/filesystem-profile-store.js';
import { startExporter } from '../support/exporter.js';
import type { Scenario } from './fixtures/learning-then-anomaly.js';
import { ensureExporterBuilt } from './workspace-build.js';

export interface ScenarioExporter {
  /** Base URL, e.g. http://127.0.0.1:41234: the app's exporterUrl. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The Profile API for the browser test: the real exporter (`telltale run --no-sensor`, no BPF)
 * serving the scenario's profiles, written through the real filesystem store into its state
 * directory. The one place the browser test and its harness get the API from.
 */
export async function startScenarioExporter(scenario: Scenario): Promise<ScenarioExporter> {
  await ensureExporterBuilt();
  const stateDir = await mkdtemp(join(tmpdir(), 'telltale-scenario-state-'));
  try {
    const store = new FilesystemProfileStore({ stateDir });
    for (const { id, document } of scenario.profileDocuments()) await store.save(id, document, null);
    const exporter = await startExporter({ args: ['--no-sensor'], stateDir });
    return {
      url: exporter.url,
      async stop() {
        await exporter.stop();
        await rm(stateDir, { recursive: true, force: true });
      },
    };
  } catch (error: unknown) {
    await rm(stateDir, { recursive: true, force: true });
    throw error;
  }
}
