import type { CliFlag } from './cli-flag.js';

/** Flags of `telltale run` owned by the daemon core; sinks and profiles add theirs. */
export const CORE_RUN_FLAGS: readonly CliFlag[] = [
  { name: 'listen', value: 'HOST:PORT', help: 'Serve /metrics, /healthz, /readyz and /api/v1 here', env: 'TELLTALE_LISTEN', repeatable: false, default: '0.0.0.0:9310' },
  { name: 'state-dir', value: 'DIR', help: 'Keep profiles and state here', env: 'TELLTALE_STATE_DIR', repeatable: false, default: '/var/lib/telltale' },
  { name: 'cgroup-root', value: 'DIR', help: 'The cgroup2 mount (default: found in /proc/self/mountinfo)', env: 'TELLTALE_CGROUP_ROOT', repeatable: false },
  { name: 'log-level', value: 'LEVEL', help: 'debug, info, warn or error; logs are JSON lines on stderr', env: 'TELLTALE_LOG_LEVEL', repeatable: false, default: 'info' },
  { name: 'learning-period', value: 'DURATION', help: 'How long a new workload learns before its profile is ready (e.g. 24h, 30m)', env: 'TELLTALE_LEARNING_PERIOD', repeatable: false, default: '24h' },
  { name: 'ngram', value: 'N', help: 'Length of the syscall sequences tracked per thread, 2..7; 0 turns sequences off', env: 'TELLTALE_NGRAM', repeatable: false, default: '6' },
  { name: 'capability-mode', value: 'MODE', help: 'auto, hook (cap_capable tracepoint) or derived (inferred from syscalls)', env: 'TELLTALE_CAPABILITY_MODE', repeatable: false, default: 'auto' },
  { name: 'loader', value: 'PATH', help: 'The telltale-loader binary (default: bpf/build/telltale-loader beside this checkout)', env: 'TELLTALE_LOADER', repeatable: false },
  { name: 'ringbuf-bytes', value: 'BYTES', help: 'Kernel ring buffer size, a power of two', env: 'TELLTALE_RINGBUF_BYTES', repeatable: false, default: String(8 << 20) },
  { name: 'container-storage', value: 'DIR', help: 'containers/storage roots (podman, CRI-O) to read container names from', env: 'TELLTALE_CONTAINER_STORAGE', repeatable: true, default: '/var/lib/containers/storage' },
  { name: 'docker-root', value: 'DIR', help: 'Docker data root to read container names from', env: 'TELLTALE_DOCKER_ROOT', repeatable: false, default: '/var/lib/docker' },
  { name: 'no-sensor', value: '', help: 'Do not load BPF: serve stored profiles and the API only', env: 'TELLTALE_NO_SENSOR', repeatable: false, boolean: true },
];
