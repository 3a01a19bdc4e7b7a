/**
 * The metric contract from the repository README, as the app and dashboards read it. Kept in
 * step with exporter/src/metrics/metric-names.ts; the query tests run every query against
 * series named exactly like this.
 */
export const METRIC = {
  observations: 'telltale_observations_total',
  bpfEvents: 'telltale_bpf_events_total',
  bpfEventsLost: 'telltale_bpf_events_lost_total',
  bpfMapEntries: 'telltale_bpf_map_entries',
  loaderRestarts: 'telltale_loader_restarts_total',
  unattributedEvents: 'telltale_unattributed_events_total',
  capabilityMode: 'telltale_capability_mode',
  buildInfo: 'telltale_build_info',
  deviationScore: 'telltale_deviation_score',
  categoryDeviationScore: 'telltale_category_deviation_score',
  anomalies: 'telltale_anomalies_total',
  anomalyLastSeen: 'telltale_anomaly_last_seen_timestamp_seconds',
  profileEntries: 'telltale_profile_entries',
  profileLearningProgress: 'telltale_profile_learning_progress_ratio',
  profileLearningOverdue: 'telltale_profile_learning_overdue',
  profileState: 'telltale_profile_state',
  ruleDetections: 'telltale_rule_detections_total',
  ruleLastDetection: 'telltale_rule_last_detection_timestamp_seconds',
  scoreSuppressed: 'telltale_score_suppressed',
  profileStoreErrors: 'telltale_profile_store_errors_total',
  profileGeneralizationOverflow: 'telltale_profile_generalization_overflow_total',
  sinkEvents: 'telltale_sink_events_total',
  sinkQueueLength: 'telltale_sink_queue_length',
} as const;

/** Labels every per-workload metric carries, in this order. */
export const WORKLOAD_LABELS = ['namespace', 'workload', 'workload_type', 'container'] as const;
export type WorkloadLabel = (typeof WORKLOAD_LABELS)[number];

export const CATEGORIES = ['exec', 'file', 'syscall', 'syscall_sequence', 'network', 'dns', 'capability'] as const;
export type Category = (typeof CATEGORIES)[number];

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const PROFILE_STATES = ['learning', 'ready', 'locked'] as const;
export type ProfileState = (typeof PROFILE_STATES)[number];

export const LOSS_REASONS = ['ringbuf_full', 'map_full', 'read_fault', 'decode_error'] as const;

/** The README's default alert threshold on `telltale_deviation_score`. */
export const DEFAULT_ALERT_THRESHOLD = 0.9;
