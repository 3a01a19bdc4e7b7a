import { hostname } from 'node:os';
import { formatFlagHelp, parseFlags, type FlagValues } from '../config/cli-flag.js';
import { PROFILE_RUN_FLAGS } from '../config/profile-flags.js';
import { profileRunConfig, type ProfileRunConfig } from '../config/profile-run-config.js';
import { CORE_RUN_FLAGS } from '../config/run-flags.js';
import { coreRunConfig, type CoreRunConfig } from '../config/run-config.js';
import { createDetection } from '../daemon/create-detection.js';
import { startDaemon, type Detection } from '../daemon/daemon.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { FilesystemProfileStore } from '../profiles/filesystem-profile-store.js';
import { DEFAULT_LIFECYCLE_SETTINGS } from '../profiles/lifecycle.js';
import { StoredProfileReader } from '../profiles/stored-profile-reader.js';
import { resolveScoringConfig } from '../scoring/scoring-config.js';
import { EngineProfileReader } from '../server/engine-profile-reader.js';
import { profileApi } from '../server/profile-api.js';
import { createSinkDispatcher, loadSinksConfig, SINK_FLAGS, type SinkFlagValues, type SinksConfig } from '../sinks/index.js';
import type { Registry } from 'prom-client';

export const RUN_FLAGS = [...CORE_RUN_FLAGS, ...PROFILE_RUN_FLAGS, ...SINK_FLAGS];

export function runHelp(): string {
  return `usage: telltale run [flags]

Runs the exporter on this host: loads the BPF sensor, attributes what it sees to
workloads, runs the behavioural rules, learns a profile per workload, scores
deviations from it, and serves everything on /metrics and /api/v1.
Every flag can also be set through the environment variable named with it.

flags:
${formatFlagHelp(RUN_FLAGS)}
`;
}

function sinkFlagValues(values: FlagValues): SinkFlagValues {
  const out: Record<string, string | readonly string[]> = {};
  for (const flag of SINK_FLAGS) {
    const value = values.get(flag.name);
    if (typeof value === 'string' || Array.isArray(value)) out[flag.name] = value as string | readonly string[];
  }
  return out as SinkFlagValues;
}

/** Rules, profiles, sinks and the profile API, built once the daemon's registry exists. */
function detectionFor(core: CoreRunConfig, profiles: ProfileRunConfig, sinks: SinksConfig, log: Logger) {
  return (registry: Registry) => {
    if (!core.sensor) {
      // Serving stored profiles only: nothing learns, nothing is scored.
      const store = new FilesystemProfileStore({ stateDir: core.stateDir, quarantineCorrupt: false });
      const passive: Detection = {
        observe: () => undefined,
        signal: () => undefined,
        unattributed: () => undefined,
        lossReported: () => undefined,
        start: async () => undefined,
        tick: () => undefined,
        beginEpoch: () => undefined,
        persist: async () => undefined,
        syncExternalChanges: async () => undefined,
        close: async () => undefined,
      };
      return { detection: passive, plugins: [profileApi(new StoredProfileReader(store))] };
    }
    const dispatcher = createSinkDispatcher(sinks, { registry, logger: log.child({ component: 'sinks' }), nodeName: hostname() });
    const { detection, engine } = createDetection(registry, {
      createStore: (onError) => new FilesystemProfileStore({ stateDir: core.stateDir, quarantineCorrupt: true, onError }),
      settings: {
        learningPeriodMs: core.learningPeriodMs,
        learningPeriodOverrides: profiles.learningPeriodOverrides,
        lifecycle: { ...DEFAULT_LIFECYCLE_SETTINGS, stableAfterMs: profiles.stableAfterMs },
        keepLearning: profiles.keepLearning,
        lossSuppressMs: profiles.lossSuppressMs,
        findingThreshold: profiles.findingThreshold,
        profileConfig: { ...profiles.generalization, ngramLength: core.ngramLength === 0 ? 6 : core.ngramLength },
        scoringConfig: resolveScoringConfig({ halfLifeSeconds: profiles.halfLifeSeconds }),
        calibrationWarmupEpochs: 8,
        idleUnloadMs: profiles.idleUnloadMs,
      },
      recentItems: profiles.recentItems,
      publish: (finding) => dispatcher.publish(finding),
      closeSinks: () => dispatcher.close(),
      log,
    });
    return { detection, plugins: [profileApi(new EngineProfileReader(engine))] };
  };
}

export async function runCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags('run', argv, RUN_FLAGS, process.env);
  if (values.get('help')) {
    process.stdout.write(runHelp());
    return 0;
  }
  const core = coreRunConfig(values);
  const profiles = profileRunConfig(values, core.learningPeriodMs);
  // Sink configuration errors stop the daemon at start, naming the file, line and field.
  const sinks = await loadSinksConfig(sinkFlagValues(values));
  const log = createLogger(core.logLevel);
  const daemon = await startDaemon(
    core,
    { detection: detectionFor(core, profiles, sinks, log), epochIntervalMs: profiles.epochIntervalMs, saveIntervalMs: profiles.saveIntervalMs },
    log,
  );
  await new Promise<void>((resolve) => {
    const shutdown = (signal: NodeJS.Signals) => {
      log.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  });
  await daemon.stop();
  return 0;
}
