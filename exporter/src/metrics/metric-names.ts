/**
 * Every metric name Telltale exports, in one place. Names and labels are a contract with
 * alert-rules/, dashboards/ and grafana-plugin/: rename nothing here without changing them.
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
  profileCalibrationWindows: 'telltale_profile_calibration_windows',
  ruleDetections: 'telltale_rule_detections_total',
  ruleLastDetection: 'telltale_rule_last_detection_timestamp_seconds',
  scoreSuppressed: 'telltale_score_suppressed',
  profileStoreErrors: 'telltale_profile_store_errors_total',
  profileGeneralizationOverflow: 'telltale_profile_generalization_overflow_total',

  sinkEvents: 'telltale_sink_events_total',
  sinkQueueLength: 'telltale_sink_queue_length',
} as const;

/** Labels every per-workload metric carries, in this order. */
export const WORKLOAD_LABEL_NAMES = ['namespace', 'workload', 'workload_type', 'container'] as const;
