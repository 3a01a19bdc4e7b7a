import { seededRandom } from '../../scoring/seeded-random.js';
import type { WorkloadRef } from '../../workloads/workload-ref.js';
import type { Observation } from '../observation.js';
import { type ProfileDocument, type ProfileLifecycleFields, type ProfileState, toProfileDocument } from '../profile-document.js';
import { profileId } from '../profile-id.js';
import { WorkloadProfile } from '../profile-model.js';

/**
 * Realistic profiles for tests and for the Grafana app's browser test: a WorkloadProfile
 * fed a few epochs of what a web server, a batch job or a database does, with the
 * lifecycle fields the daemon would have written. Deterministic for a given seed.
 */
export type FixtureBehaviour = 'web' | 'batch' | 'database';

export interface FixtureProfileOptions {
  readonly workload: WorkloadRef;
  readonly state: ProfileState;
  readonly behaviour?: FixtureBehaviour;
  /** Epochs learned before ready (or so far, while learning). */
  readonly epochs?: number;
  /** Epochs learned after ready; they add entries marked addedAfterReady. */
  readonly epochsAfterReady?: number;
  readonly learningStartedAt?: string;
  readonly epochSeconds?: number;
  readonly learningPeriodSeconds?: number;
  readonly ngramLength?: number;
  readonly seed?: number;
  readonly version?: string | null;
  readonly previousVersion?: string | null;
}

// x86_64 numbers: read write close fstat mmap mprotect brk rt_sigaction ioctl writev sendfile socket connect accept
// recvfrom sendto setsockopt clone execve exit wait4 fcntl getdents64 futex epoll_wait openat accept4 epoll_ctl
const COMMON_SYSCALLS = [0, 1, 3, 5, 9, 10, 12, 13, 16, 20, 56, 59, 60, 61, 72, 202, 217, 232, 233, 257];
const BEHAVIOUR_SYSCALLS: Record<FixtureBehaviour, number[]> = {
  web: [40, 41, 43, 44, 45, 54, 288],
  batch: [41, 42, 44, 45, 79, 82, 87],
  database: [17, 18, 41, 43, 74, 75, 285, 288],
};

function behaviourObservations(behaviour: FixtureBehaviour, epoch: number, random: () => number): Observation[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const observations: Observation[] = [];
  switch (behaviour) {
    case 'web':
      observations.push(
        { category: 'exec', path: '/usr/sbin/nginx', argv: ['nginx', '-g', 'daemon off;'] },
        { category: 'file', path: '/etc/nginx/nginx.conf', modes: ['read'] },
        { category: 'file', path: '/etc/nginx/conf.d/default.conf', modes: ['read'] },
        { category: 'file', path: '/var/log/nginx/access.log', modes: ['write', 'create'] },
        { category: 'file', path: `/var/cache/nginx/proxy_temp/${epoch % 10}/0${epoch % 7}/000000${epoch}`, modes: ['write', 'create', 'truncate'] },
        { category: 'network', direction: 'listen', family: 'inet', protocol: 'tcp', address: '0.0.0.0', port: 80 },
        { category: 'network', direction: 'accept', family: 'inet', protocol: 'tcp', address: `10.0.1.${1 + Math.floor(random() * 30)}`, port: 40000 + epoch },
        { category: 'network', direction: 'connect', family: 'inet', protocol: 'tcp', address: '10.96.12.7', port: 8080, peerName: 'checkout.shop.svc.cluster.local' },
        { category: 'dns', name: 'checkout.shop.svc.cluster.local' },
        { category: 'capability', capability: 10 },
      );
      if (epoch % 3 === 0) observations.push({ category: 'capability', capability: 6 }, { category: 'capability', capability: 7 });
      break;
    case 'batch':
      observations.push(
        { category: 'exec', path: '/bin/sh', argv: ['sh', '-c', `/opt/report/run.sh --day 2026-11-${String(10 + (epoch % 18)).padStart(2, '0')}`] },
        { category: 'exec', path: '/opt/report/run.sh', argv: ['/opt/report/run.sh', '--day', `2026-11-${String(10 + (epoch % 18)).padStart(2, '0')}`] },
        { category: 'exec', path: '/usr/bin/python3', argv: ['python3', '/opt/report/aggregate.py', `--input=/data/in/${epoch}.csv`] },
        { category: 'file', path: `/data/in/${epoch}.csv`, modes: ['read'] },
        { category: 'file', path: `/data/out/report-${epoch}.json`, modes: ['write', 'create'] },
        { category: 'file', path: '/usr/lib/python3.11/json/__init__.py', modes: ['read'] },
        { category: 'network', direction: 'connect', family: 'inet', protocol: 'tcp', address: '10.96.0.20', port: 5432, peerName: 'postgres.data.svc.cluster.local' },
        { category: 'dns', name: 'postgres.data.svc.cluster.local' },
        { category: 'dns', name: `s3.${pick(['eu-west-1', 'eu-central-1'])}.amazonaws.com` },
      );
      break;
    case 'database':
      observations.push(
        { category: 'exec', path: '/usr/lib/postgresql/16/bin/postgres', argv: ['postgres', '-D', '/var/lib/postgresql/data'] },
        { category: 'file', path: `/var/lib/postgresql/data/base/16384/${2600 + (epoch % 40)}`, modes: ['read', 'write'] },
        { category: 'file', path: '/var/lib/postgresql/data/pg_wal/000000010000000000000001', modes: ['write'] },
        { category: 'file', path: '/etc/passwd', modes: ['read'] },
        { category: 'network', direction: 'listen', family: 'inet', protocol: 'tcp', address: '0.0.0.0', port: 5432 },
        { category: 'network', direction: 'accept', family: 'inet', protocol: 'tcp', address: `10.0.2.${1 + Math.floor(random() * 20)}`, port: 50000 + epoch },
        { category: 'network', direction: 'listen', family: 'unix', protocol: 'stream', address: '/var/run/postgresql/.s.PGSQL.5432', port: 0 },
        { category: 'capability', capability: 0 },
        { category: 'capability', capability: 3 },
      );
      break;
  }
  const syscalls = [...COMMON_SYSCALLS, ...BEHAVIOUR_SYSCALLS[behaviour]];
  for (const nr of syscalls) if (random() < 0.85) observations.push({ category: 'syscall', nr });
  return observations;
}

function sequences(behaviour: FixtureBehaviour, n: number, random: () => number, count: number): Observation[] {
  // A loop of typical calls with occasional detours, cut into n-grams the way the kernel reports them.
  const loop = behaviour === 'web' ? [232, 288, 0, 257, 5, 40, 1, 3] : behaviour === 'batch' ? [257, 5, 0, 0, 3, 1, 9, 11] : [17, 18, 74, 0, 1, 232, 45, 44];
  const trace: number[] = [];
  for (let i = 0; i < count + n; i++) {
    trace.push(random() < 0.1 ? (COMMON_SYSCALLS[Math.floor(random() * COMMON_SYSCALLS.length)] as number) : (loop[i % loop.length] as number));
  }
  const out: Observation[] = [];
  for (let i = 0; i + n <= trace.length && out.length < count; i++) out.push({ category: 'syscall_sequence', calls: trace.slice(i, i + n) });
  return out;
}

function afterReadyObservations(behaviour: FixtureBehaviour, epoch: number): Observation[] {
  switch (behaviour) {
    case 'web':
      return [
        { category: 'exec', path: '/usr/bin/curl', argv: ['curl', '-s', `http://127.0.0.1:80/health?t=${epoch}`] },
        { category: 'file', path: '/etc/ssl/certs/ca-certificates.crt', modes: ['read'] },
        { category: 'dns', name: 'api.stripe.com' },
      ];
    case 'batch':
      return [
        { category: 'exec', path: '/usr/bin/gzip', argv: ['gzip', '-9', `/data/out/report-${epoch}.json`] },
        { category: 'syscall', nr: 76 },
      ];
    case 'database':
      return [
        { category: 'exec', path: '/usr/lib/postgresql/16/bin/pg_dump', argv: ['pg_dump', '-Fc', 'shop'] },
        { category: 'network', direction: 'connect', family: 'inet', protocol: 'tcp', address: '10.96.0.30', port: 9000, peerName: 'minio.backup.svc.cluster.local' },
      ];
  }
}

export function fixtureProfile(options: FixtureProfileOptions): ProfileDocument {
  const behaviour = options.behaviour ?? 'web';
  const epochSeconds = options.epochSeconds ?? 300;
  const learningPeriodSeconds = options.learningPeriodSeconds ?? 3600;
  const ngramLength = options.ngramLength ?? 6;
  const startedAt = Date.parse(options.learningStartedAt ?? '2026-11-28T10:00:00.000Z');
  const readyEpochs = Math.max(1, Math.round(learningPeriodSeconds / epochSeconds));
  const epochs = options.epochs ?? (options.state === 'learning' ? Math.max(1, Math.floor(readyEpochs / 2)) : readyEpochs);
  const after = options.state === 'learning' ? 0 : (options.epochsAfterReady ?? 0);
  const random = seededRandom(options.seed ?? 1);
  const profile = new WorkloadProfile({ ngramLength });
  let lastNovelty = startedAt;
  const timeOf = (epoch: number, offset: number) => startedAt + (epoch - 1) * epochSeconds * 1000 + offset * 1000;
  for (let epoch = 1; epoch <= epochs + after; epoch++) {
    const afterReady = epoch > epochs;
    const observations = [
      ...behaviourObservations(behaviour, epoch, random),
      ...sequences(behaviour, ngramLength, random, 12),
      ...(afterReady ? afterReadyObservations(behaviour, epoch) : []),
    ];
    observations.forEach((obs, i) => {
      const time = timeOf(epoch, (i * 7) % epochSeconds);
      const before = profile.totalEntries;
      profile.observe(obs, { epoch, time, afterReady });
      if (profile.totalEntries > before && obs.category !== 'syscall_sequence') lastNovelty = Math.max(lastNovelty, time);
    });
  }
  const iso = (ms: number) => new Date(ms).toISOString();
  const readyAt = options.state === 'learning' ? null : iso(startedAt + epochs * epochSeconds * 1000);
  const learnedSeconds = options.state === 'learning' ? epochs * epochSeconds : Math.max(learningPeriodSeconds, epochs * epochSeconds);
  const lifecycle: ProfileLifecycleFields = {
    state: options.state,
    learningStartedAt: iso(startedAt),
    readyAt,
    lockedAt: options.state === 'locked' ? iso(startedAt + (epochs + after) * epochSeconds * 1000) : null,
    learningPeriodSeconds,
    learnedSeconds,
    lastNoveltyAt: iso(lastNovelty),
    // Novelty after ready is not learning time.
    learnedSecondsAtLastNovelty: Math.min(learnedSeconds, Math.max(0, Math.round((lastNovelty - startedAt) / 1000))),
    readyReason: options.state === 'learning' ? null : 'period',
    learnAfterReady: options.state === 'ready' && after > 0,
    version: options.version === undefined ? 'sha256:4f1c9e2a7b' : options.version,
    previousVersion: options.previousVersion ?? null,
    versionChangedAt: options.previousVersion ? iso(startedAt) : null,
  };
  return toProfileDocument(profile, options.workload, lifecycle, null);
}

export interface FixtureProfileEntry {
  readonly id: string;
  readonly document: ProfileDocument;
}

/**
 * A varied set: learning, ready (with entries learned after ready) and locked; cgroup,
 * container and Kubernetes workload types; every category populated.
 */
export function fixtureProfiles(): FixtureProfileEntry[] {
  const documents = [
    fixtureProfile({ workload: { namespace: 'shop', workload: 'frontend', workloadType: 'deployment', container: 'nginx' }, state: 'ready', behaviour: 'web', epochsAfterReady: 3, seed: 1 }),
    fixtureProfile({ workload: { namespace: 'shop', workload: 'reports', workloadType: 'cronjob', container: 'report' }, state: 'learning', behaviour: 'batch', seed: 2 }),
    fixtureProfile({
      workload: { namespace: 'data', workload: 'postgres', workloadType: 'statefulset', container: 'postgres' },
      state: 'locked',
      behaviour: 'database',
      epochsAfterReady: 2,
      seed: 3,
      previousVersion: 'sha256:0a9b8c7d6e',
    }),
    fixtureProfile({ workload: { namespace: '', workload: 'system.slice/nginx.service', workloadType: 'cgroup', container: '' }, state: 'ready', behaviour: 'web', seed: 4 }),
    fixtureProfile({ workload: { namespace: '', workload: 'report-runner', workloadType: 'container', container: '' }, state: 'learning', behaviour: 'batch', epochs: 3, seed: 5 }),
  ];
  return documents.map((document) => ({ id: profileId(document.workload), document }));
}
