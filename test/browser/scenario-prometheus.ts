import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backfillOpenMetrics, startPrometheus, type PrometheusServer } from '../support/prometheus.js';
import type { Scenario } from './fixtures/learning-then-anomaly.js';

export interface ScenarioPrometheus {
  readonly server: PrometheusServer;
  stop(): Promise<void>;
}

/** A real Prometheus whose TSDB holds the scenario's series, backfilled with promtool. */
export async function startScenarioPrometheus(scenario: Scenario): Promise<ScenarioPrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-scenario-'));
  const dataDir = join(dir, 'data');
  try {
    // 24h blocks keep the two hours in one block, whatever the wall clock.
    await backfillOpenMetrics({ openMetrics: scenario.openMetrics(), dataDir, maxBlockDuration: '24h' });
    const server = await startPrometheus({ dataDir, retention: '30d' });
    return {
      server,
      async stop() {
        await server.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error: unknown) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
