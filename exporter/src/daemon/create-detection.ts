import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Finding } from '../findings/finding.js';
import { ProfileMetrics } from '../metrics/profile-metrics.js';
import { ProfileEngine, type EngineSettings, type EngineStore } from '../profiles/profile-engine.js';
import { formatStoreProblem, type StoreErrorListener } from '../profiles/profile-store.js';
import { RuleEngine } from '../rules/rule-engine.js';
import type { Detection } from './daemon.js';
import { Detector } from './detector.js';

export interface DetectionOptions {
  /** The store, given the listener that counts its failures. */
  readonly createStore: (onError: StoreErrorListener) => EngineStore;
  readonly settings: EngineSettings;
  readonly recentItems: number;
  /** Where findings go (the direct sinks); never blocks. */
  readonly publish: (finding: Finding) => void;
  readonly closeSinks: () => Promise<void>;
  readonly log: Logger;
}

export interface DetectionParts {
  readonly detection: Detection;
  readonly engine: ProfileEngine;
}

/** Rules, profiles and their metrics, wired the way `telltale run` uses them. */
export function createDetection(registry: Registry, options: DetectionOptions): DetectionParts {
  let engine: ProfileEngine | null = null;
  const metrics = new ProfileMetrics(registry, { profileViews: () => engine?.profileViews() ?? [] }, options.recentItems);
  const storeLog = options.log.child({ component: 'store' });
  const store = options.createStore((problem) => {
    metrics.storeErrors.inc({ operation: problem.operation });
    storeLog.error({ operation: problem.operation, source: problem.source, quarantinedTo: problem.quarantinedTo }, formatStoreProblem(problem));
  });
  engine = new ProfileEngine(store, options.settings, metrics, options.publish, options.log.child({ component: 'profiles' }));
  const profiles = engine;
  const rules = new RuleEngine(metrics, options.publish, options.log.child({ component: 'rules' }), (workload) => profiles.score(workload));
  const detector = new Detector(rules, profiles);
  const detection: Detection = {
    observe: (workload, record) => detector.observe(workload, record),
    signal: (workload, record) => detector.signal(workload, record),
    unattributed: (record) => detector.unattributed(record),
    lossReported: (workload, lost, at) => detector.lossReported(workload, lost, at),
    start: () => profiles.start(),
    tick: () => profiles.tick(),
    beginEpoch: (epoch) => profiles.beginEpoch(epoch),
    persist: () => profiles.persist(),
    syncExternalChanges: () => profiles.syncExternalChanges(),
    close: () => options.closeSinks(),
  };
  return { detection, engine: profiles };
}
