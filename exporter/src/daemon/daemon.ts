import { mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import type { CoreRunConfig } from '../config/run-config.js';
import { ConfigError } from '../config/cli-flag.js';
import { telltaleVersion } from '../metrics/build-info.js';
import { SensorMetrics } from '../metrics/sensor-metrics.js';
import { LoaderSupervisor } from '../sensor/loader-supervisor.js';
import { createServer } from '../server/create-server.js';
import { CgroupIndex } from '../workloads/cgroup-index.js';
import { findCgroup2MountOfThisProcess } from '../workloads/cgroup-root.js';
import { conmonNames, ContainerNameResolver, containerStorageNames, dockerConfigNames } from '../workloads/container-names.js';
import { StandaloneAttributor } from '../workloads/standalone-attributor.js';
import { SensorPipeline, type ObservationConsumer } from './sensor-pipeline.js';

export interface DaemonParts {
  /** Steps after attribution (profiles, rules); built once the registry exists. */
  readonly consumer: (registry: Registry) => ObservationConsumer & { close?(): Promise<void> };
  readonly serverPlugins?: ReadonlyArray<(app: FastifyInstance) => Promise<void>>;
}

export interface RunningDaemon {
  readonly address: string;
  readonly registry: Registry;
  readonly supervisor: LoaderSupervisor | null;
  stop(): Promise<void>;
}

const STATS_MIN_INTERVAL_MS = 1000;

/** Wires kernel -> loader -> decoder -> attribution -> consumer, and serves it all over HTTP. */
export async function startDaemon(config: CoreRunConfig, parts: DaemonParts, log: Logger): Promise<RunningDaemon> {
  mkdirSync(config.stateDir, { recursive: true });
  const cgroupRoot = config.cgroupRoot ?? findCgroup2MountOfThisProcess();
  if (!cgroupRoot) throw new ConfigError('no cgroup2 mount in /proc/self/mountinfo; mount one or pass --cgroup-root');

  const registry = new Registry();
  const metrics = new SensorMetrics(registry, telltaleVersion());
  const index = new CgroupIndex({ root: cgroupRoot, negativeTtlMs: 30_000, minRescanIntervalMs: 1000, maxDirectories: 100_000 });
  index.rescan();
  const names = new ContainerNameResolver([dockerConfigNames(config.dockerRoot), containerStorageNames(config.containerStorage), conmonNames()]);
  const attributor = new StandaloneAttributor(index, names);
  const consumer = parts.consumer(registry);
  const pipeline = new SensorPipeline(index, attributor, metrics, consumer, log.child({ component: 'sensor' }));

  let supervisor: LoaderSupervisor | null = null;
  if (config.sensor) {
    supervisor = new LoaderSupervisor(
      {
        loaderPath: config.loaderPath,
        ngramLength: config.ngramLength,
        capabilityMode: config.capabilityMode,
        ringbufBytes: config.ringbufBytes,
        restartDelayMs: 250,
        maxRestartDelayMs: 30_000,
        healthyAfterMs: 30_000,
      },
      {
        record: (record) => pipeline.record(record),
        decodeProblem: (problem) => pipeline.decodeProblem(problem),
        started: (pid) => {
          pipeline.loaderStarted();
          log.info({ pid, loader: config.loaderPath }, 'loader started');
        },
        exited: (code, signal, stderrTail, restartInMs) => {
          pipeline.loaderExited();
          if (restartInMs === null) {
            log.info({ code, signal }, 'loader stopped');
            return;
          }
          metrics.loaderRestarts.inc();
          log.error({ code, signal, restartInMs, stderr: stderrTail.slice(-10).join('\n') }, 'loader exited; restarting');
        },
      },
    );
    supervisor.start();
  }

  let lastStatsRequest = 0;
  const server = await createServer({
    logger: log,
    registry,
    readiness: {
      notReadyReason: () => (!config.sensor || pipeline.ready ? null : 'the sensor is not attached yet'),
    },
    beforeScrape: () => {
      const now = Date.now();
      if (supervisor && now - lastStatsRequest >= STATS_MIN_INTERVAL_MS) {
        lastStatsRequest = now;
        supervisor.requestStats();
      }
    },
    plugins: parts.serverPlugins ?? [],
  });
  const address = await server.listen({ host: config.listen.host, port: config.listen.port });
  log.info({ address, cgroupRoot, stateDir: config.stateDir, sensor: config.sensor }, 'telltale is running');

  return {
    address,
    registry,
    supervisor,
    async stop() {
      await supervisor?.stop();
      await server.close();
      await consumer.close?.();
    },
  };
}
