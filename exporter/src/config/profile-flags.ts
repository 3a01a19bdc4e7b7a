import type { CliFlag } from './cli-flag.js';

/** Flags of `telltale run` for learning, scoring and persisting profiles. */
export const PROFILE_RUN_FLAGS: readonly CliFlag[] = [
  { name: 'stable-after', value: 'DURATION', help: 'A learning profile with nothing new for this long is ready early', env: 'TELLTALE_STABLE_AFTER', repeatable: false, default: '4h' },
  {
    name: 'learning-period-override',
    value: 'GLOB=DURATION',
    help: 'Learning period for workloads whose namespace/workload_type/workload/container matches GLOB (* matches anything, / included; the namespace is empty outside Kubernetes), e.g. "prod/deployment/*/*=72h" or "/cgroup/system.slice/*=72h"',
    env: 'TELLTALE_LEARNING_PERIOD_OVERRIDE',
    repeatable: true,
  },
  { name: 'keep-learning', value: '', help: 'Keep learning after a profile is ready (new entries are marked added after ready); locked profiles never change', env: 'TELLTALE_KEEP_LEARNING', repeatable: false, boolean: true },
  { name: 'epoch-interval', value: 'DURATION', help: 'How often the kernel reports every item once more, the unit of support counts (auto: learning period / 128, 1s..30m, so a full period yields enough calibration windows)', env: 'TELLTALE_EPOCH_INTERVAL', repeatable: false, default: 'auto' },
  { name: 'save-interval', value: 'DURATION', help: 'How often changed profiles are written to the state directory; a crash loses at most this much learning', env: 'TELLTALE_SAVE_INTERVAL', repeatable: false, default: '15s' },
  { name: 'score-half-life', value: 'DURATION', help: 'Half-life of the evidence behind deviation scores', env: 'TELLTALE_SCORE_HALF_LIFE', repeatable: false, default: '10m' },
  { name: 'loss-suppress', value: 'DURATION', help: 'Scores stay suppressed this long after the kernel last lost events of the workload', env: 'TELLTALE_LOSS_SUPPRESS', repeatable: false, default: '1m' },
  { name: 'profile-idle-unload', value: 'DURATION', help: 'A saved profile whose workload sent nothing for this long leaves memory and /metrics until the workload shows up again (0s: never)', env: 'TELLTALE_PROFILE_IDLE_UNLOAD', repeatable: false, default: '1h' },
  { name: 'finding-threshold', value: 'SCORE', help: 'Deviation score at which an anomaly is sent to the direct sinks', env: 'TELLTALE_FINDING_THRESHOLD', repeatable: false, default: '0.9' },
  { name: 'profile-budget', value: 'N', help: 'Entries one profile may hold over all categories; beyond it, wildcards fold first, then items are only remembered in an overflow filter', env: 'TELLTALE_PROFILE_BUDGET', repeatable: false, default: '40000' },
  { name: 'path-fanout', value: 'N', help: 'A directory with more distinct children than this folds to dir/*', env: 'TELLTALE_PATH_FANOUT', repeatable: false, default: '50' },
  {
    name: 'path-fanout-override',
    value: 'DIR=N',
    help: 'Fan-out limit for one directory, e.g. "/etc=100" (repeatable; replaces the default /etc=100)',
    env: 'TELLTALE_PATH_FANOUT_OVERRIDE',
    repeatable: true,
  },
  { name: 'argv-patterns', value: 'N', help: 'argv patterns kept per executable before they merge position by position', env: 'TELLTALE_ARGV_PATTERNS', repeatable: false, default: '16' },
  { name: 'peer-fanout', value: 'N', help: 'Peer addresses per direction, protocol and port before they fold into a /24 (/64)', env: 'TELLTALE_PEER_FANOUT', repeatable: false, default: '16' },
  { name: 'argv-tokens', value: 'N', help: 'argv tokens kept per pattern; the rest of a longer argv becomes a trailing **', env: 'TELLTALE_ARGV_TOKENS', repeatable: false, default: '32' },
  { name: 'max-string-length', value: 'N', help: 'Longest path, argv token or name stored in a profile; longer ones are cut and counted as overflow', env: 'TELLTALE_MAX_STRING_LENGTH', repeatable: false, default: '512' },
  { name: 'peer-cidr-v4', value: 'BITS', help: 'Prefix length IPv4 peers fold into after --peer-fanout addresses', env: 'TELLTALE_PEER_CIDR_V4', repeatable: false, default: '24' },
  { name: 'peer-cidr-v6', value: 'BITS', help: 'Prefix length IPv6 peers fold into after --peer-fanout addresses', env: 'TELLTALE_PEER_CIDR_V6', repeatable: false, default: '64' },
  { name: 'dns-fanout', value: 'N', help: 'Labels under one DNS suffix before they fold into *.suffix', env: 'TELLTALE_DNS_FANOUT', repeatable: false, default: '32' },
  { name: 'recent-items', value: 'N', help: 'Novel items and rule hits listed per workload in telltale_anomaly_last_seen_timestamp_seconds and telltale_rule_last_detection_timestamp_seconds', env: 'TELLTALE_RECENT_ITEMS', repeatable: false, default: '20' },
];
