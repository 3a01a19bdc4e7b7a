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

/** The steps after attribution (rules, profiles, sinks), as the daemon drives them. */
export interface Detection extends ObservationConsumer {
  /** Loads stored state; runs before the sensor starts. */
  start(): Promise<void>;
  /** Once a second. */
  tick(): void;
  /** A new dedup epoch began (the kernel reports every item once more). */
  beginEpoch(epoch: number): void;
  /** Writes changed state; runs every save interval and at shutdown. */
  persist(): Promise<void>;
  /** Picks up state changed by others (operators, GitOps); runs every few seconds. */
  syncExternalChanges(): Promise<void>;
  close(): Promise<void>;
}

export interface DaemonParts {
  /** Built once the registry exists; the plugins it returns (e.g. the profile API) are served. */
  readonly detection: (registry: Registry) => { detection: Detection; plugins: ReadonlyArray<(app: FastifyInstance) => Promise<void>> };
  readonly epochIntervalMs: number;
  readonly saveIntervalMs: number;
  /** How often the store is checked for changes made by others. */
  readonly syncIntervalMs?: number;
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
  const { detection, plugins } = parts.detection(registry);
  await detection.start();
  const pipeline = new SensorPipeline(index, attributor, metrics, detection, log.child({ component: 'sensor' }));

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
    plugins,
  });
  const address = await server.listen({ host: config.listen.host, port: config.listen.port });
  log.info({ address, cgroupRoot, stateDir: config.stateDir, sensor: config.sensor }, 'telltale is running');

  // Timers drive learning, epochs and persistence; a slow store never overlaps itself.
  let epoch = 0;
  const timers: NodeJS.Timeout[] = [];
  const guarded = (name: string, job: () => Promise<void>) => {
    let running = false;
    return () => {
      if (running) return;
      running = true;
      job()
        .catch((error: unknown) => log.error({ job: name, error: error instanceof Error ? error.message : String(error) }, 'background job failed'))
        .finally(() => (running = false));
    };
  };
  timers.push(setInterval(() => detection.tick(), 1000));
  timers.push(
    setInterval(() => {
      epoch += 1;
      supervisor?.setEpoch(epoch);
      pipeline.beginEpoch();
      detection.beginEpoch(epoch);
    }, parts.epochIntervalMs),
  );
  timers.push(setInterval(guarded('persist', () => detection.persist()), parts.saveIntervalMs));
  timers.push(setInterval(guarded('sync', () => detection.syncExternalChanges()), parts.syncIntervalMs ?? 2000));

  return {
    address,
    registry,
    supervisor,
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await supervisor?.stop();
      await server.close();
      await detection.persist();
      await detection.close();
    },
  };
}
