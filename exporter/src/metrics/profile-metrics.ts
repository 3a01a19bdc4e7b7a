import { Counter, Gauge, type Registry } from 'prom-client';
import { CATEGORIES, type Category } from '../observations/category.js';
import type { WorkloadLabels } from '../workloads/workload-ref.js';
import { METRIC, WORKLOAD_LABEL_NAMES } from './metric-names.js';
import { RecentItems } from './recent-items.js';
import { PROFILE_STORE_OPERATIONS } from '../profiles/profile-store.js';

type WorkloadLabel = (typeof WORKLOAD_LABEL_NAMES)[number];

/** What the metrics read from each profile when Prometheus scrapes. */
export interface ProfileMetricsView {
  readonly labels: WorkloadLabels;
  readonly state: 'learning' | 'ready' | 'locked';
  readonly progress: number;
  readonly overdue: boolean;
  readonly suppressed: boolean;
  readonly entries: Readonly<Record<Category, number>>;
  /** Normal windows the thresholds were calibrated on (collected while learning). */
  readonly calibrationWindows: number;
  /** null while learning: a profile that is not ready has no deviation to score. */
  readonly scores: { readonly overall: number; readonly categories: Readonly<Record<Category, number>> } | null;
}

export interface ProfileMetricsSource {
  profileViews(): Iterable<ProfileMetricsView>;
}


/**
 * The profile half of the metric contract. Per-profile gauges are filled at scrape
 * time from the engine's state (reset first, so a profile that went away leaves no
 * stale series); counters and recent items are pushed as things happen.
 */
export class ProfileMetrics {
  readonly anomalies: Counter<WorkloadLabel | 'category'>;
  readonly ruleDetections: Counter<WorkloadLabel | 'rule' | 'severity'>;
  readonly overflow: Counter<WorkloadLabel | 'category'>;
  readonly storeErrors: Counter<'operation'>;
  readonly recentAnomalies: RecentItems<WorkloadLabel | 'category' | 'item'>;
  readonly recentRuleHits: RecentItems<WorkloadLabel | 'rule' | 'severity' | 'item'>;

  constructor(registry: Registry, source: ProfileMetricsSource, recentPerWorkload: number) {
    const workload = [...WORKLOAD_LABEL_NAMES];
    const views = () => [...source.profileViews()];
    new Gauge({
      name: METRIC.deviationScore,
      help: 'Calibrated deviation score of a ready profile, 0..1 (0.9: more evidence than all but 1% of its own normal windows)',
      labelNames: workload,
      registers: [registry],
      collect() {
        this.reset();
        for (const v of views()) if (v.scores) this.set(v.labels, v.scores.overall);
      },
    });
    new Gauge({
      name: METRIC.categoryDeviationScore,
      help: 'Calibrated deviation score per category, 0..1',
      labelNames: [...workload, 'category'],
      registers: [registry],
      collect() {
        this.reset();
        for (const v of views()) if (v.scores) for (const c of CATEGORIES) this.set({ ...v.labels, category: c }, v.scores.categories[c]);
      },
    });
    new Gauge({
      name: METRIC.profileEntries,
      help: 'Entries in the profile, per category',
      labelNames: [...workload, 'category'],
      registers: [registry],
      collect() {
        this.reset();
        for (const v of views()) for (const c of CATEGORIES) this.set({ ...v.labels, category: c }, v.entries[c]);
      },
    });
    new Gauge({
      name: METRIC.profileLearningProgress,
      help: 'Learning progress, 0..1 while learning, 1 once ready or locked',
      labelNames: workload,
      registers: [registry],
      collect() {
        this.reset();
        for (const v of views()) this.set(v.labels, v.progress);
      },
    });
    new Gauge({
      name: METRIC.profileLearningOverdue,
      help: '1 when the learning period has passed but the profile keeps changing',
      labelNames: workload,
      registers: [registry],
      collect() {
        this.reset();
        for (const v of views()) this.set(v.labels, v.overdue ? 1 : 0);
      },
    });
    new Gauge({
      name: METRIC.profileState,
      help: '1 for the current profile state: learning, ready or locked',
      labelNames: [...workload, 'state'],
      registers: [registry],
      collect() {
        this.reset();
        for (const v of views()) for (const state of ['learning', 'ready', 'locked'] as const) this.set({ ...v.labels, state }, v.state === state ? 1 : 0);
      },
    });
    new Gauge({
      name: METRIC.profileCalibrationWindows,
      help: 'Normal learning windows the thresholds are calibrated on; at least 1/alpha - 1 (99 for 1%) makes score 0.9 a real false-alarm bound',
      labelNames: workload,
      registers: [registry],
      collect() {
        this.reset();
        for (const v of views()) this.set(v.labels, v.calibrationWindows);
      },
    });
    new Gauge({
      name: METRIC.scoreSuppressed,
      help: '1 while scores are frozen because the kernel lost events of this workload',
      labelNames: workload,
      registers: [registry],
      collect() {
        this.reset();
        for (const v of views()) this.set(v.labels, v.suppressed ? 1 : 0);
      },
    });
    this.anomalies = new Counter({ name: METRIC.anomalies, help: 'Observations outside a ready profile', labelNames: [...workload, 'category'], registers: [registry] });
    this.ruleDetections = new Counter({
      name: METRIC.ruleDetections,
      help: 'Behavioural rule hits',
      labelNames: [...workload, 'rule', 'severity'],
      registers: [registry],
    });
    this.overflow = new Counter({
      name: METRIC.profileGeneralizationOverflow,
      help: 'Items folded into a wildcard or dropped because a profile reached its size budget',
      labelNames: [...workload, 'category'],
      registers: [registry],
    });
    this.storeErrors = new Counter({
      name: METRIC.profileStoreErrors,
      help: 'Failed profile store operations (corrupt files are quarantined, never deleted)',
      labelNames: ['operation'],
      registers: [registry],
    });
    for (const operation of PROFILE_STORE_OPERATIONS) this.storeErrors.inc({ operation }, 0);
    const lastSeen = new Gauge({
      name: METRIC.anomalyLastSeen,
      help: 'Last time each of the most recent novel items of a ready profile was seen (unix seconds), N per workload; a full workload drops the oldest item of its largest category',
      labelNames: [...workload, 'category', 'item'],
      registers: [registry],
    });
    const lastRule = new Gauge({
      name: METRIC.ruleLastDetection,
      help: 'Last time each of the most recent distinct behavioural rule hits was seen (unix seconds), with the offending item, N per workload and rule',
      labelNames: [...workload, 'rule', 'severity', 'item'],
      registers: [registry],
    });
    this.recentAnomalies = new RecentItems(lastSeen, recentPerWorkload);
    this.recentRuleHits = new RecentItems(lastRule, recentPerWorkload);
  }
}
