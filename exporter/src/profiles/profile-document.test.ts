import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Calibrator } from '../scoring/calibrator.js';
import { DEFAULT_SCORING_CONFIG } from '../scoring/scoring-config.js';
import { type ProfileDocument, type ProfileLifecycleFields, fromProfileDocument, toProfileDocument } from './profile-document.js';
import { WorkloadProfile } from './profile-model.js';

const workload = { namespace: 'shop', workload: 'checkout', workloadType: 'deployment', container: 'app' };
const lifecycle: ProfileLifecycleFields = {
  state: 'ready',
  learningStartedAt: '2026-11-28T10:00:00.000Z',
  readyAt: '2026-11-29T10:00:00.000Z',
  lockedAt: null,
  learningPeriodSeconds: 86_400,
  learnedSeconds: 86_400,
  lastNoveltyAt: '2026-11-29T08:00:00.000Z',
  learnedSecondsAtLastNovelty: 79_200,
  readyReason: 'period',
  learnAfterReady: false,
  version: 'sha256:abc',
  previousVersion: null,
  versionChangedAt: null,
};

function sampleProfile(maxEntries = 40_000): WorkloadProfile {
  const p = new WorkloadProfile({ ngramLength: 3, maxEntries });
  for (let epoch = 1; epoch <= 3; epoch++) {
    const ctx = { epoch, time: Date.parse('2026-11-28T10:00:00Z') + epoch * 300_000, afterReady: epoch === 3 };
    p.observe({ category: 'exec', path: '/usr/bin/curl', argv: ['curl', '-s', `http://10.0.0.${epoch}:8080/health`] }, ctx);
    p.observe({ category: 'file', path: `/proc/${100 + epoch}/status`, modes: ['read'] }, ctx);
    p.observe({ category: 'syscall', nr: 3 - epoch + 1 }, ctx);
    p.observe({ category: 'syscall_sequence', calls: [epoch, 1, 0] }, ctx);
    p.observe({ category: 'network', direction: 'connect', family: 'inet', protocol: 'tcp', address: '10.0.0.7', port: 5432 }, ctx);
    p.observe({ category: 'dns', name: 'db.shop.svc.cluster.local' }, ctx);
    p.observe({ category: 'capability', capability: 10 }, ctx);
  }
  return p;
}

describe('profile document', () => {
  it('round-trips through JSON and YAML with sorted, deterministic entries', () => {
    const profile = sampleProfile();
    const calibrator = new Calibrator(DEFAULT_SCORING_CONFIG);
    calibrator.addWindow({ syscall_sequence: 0.2 });
    const doc = toProfileDocument(profile, workload, lifecycle, calibrator.toDocument());
    expect(doc.entries.syscall.map((e) => e.nr)).toEqual([1, 2, 3]);
    expect(doc.entries.syscall_sequence.map((e) => e.calls)).toEqual(['1 1 0', '2 1 0', '3 1 0']);
    expect(doc.entries.file).toEqual([{ path: '/proc/*/status', modes: ['read'], support: 3, firstSeen: '2026-11-28T10:05:00.000Z', lastSeen: '2026-11-28T10:15:00.000Z', addedAfterReady: false }]);
    expect(doc.entries.capability[0]).toMatchObject({ nr: 10, name: 'CAP_NET_BIND_SERVICE' });
    expect(doc.entries.syscall_sequence[2]?.addedAfterReady).toBe(true);
    const loaded = fromProfileDocument(JSON.parse(JSON.stringify(doc)));
    expect(loaded.workload).toEqual(workload);
    expect(loaded.lifecycle).toEqual(lifecycle);
    expect(loaded.calibration).toEqual(doc.calibration);
    expect(toProfileDocument(loaded.profile, loaded.workload, loaded.lifecycle, loaded.calibration)).toEqual(doc);
    expect(loaded.profile.match({ category: 'file', path: '/proc/9/status', modes: ['read'] }).known).toBe(true);
    expect(stringify(doc)).toContain('path: /proc/*/status');
  });

  it('keeps the overflow filter so a reloaded full profile does not re-alert', () => {
    const profile = sampleProfile(8);
    for (let nr = 100; nr < 120; nr++) profile.observe({ category: 'syscall', nr }, { epoch: 4, time: 0, afterReady: false });
    const doc = toProfileDocument(profile, workload, lifecycle, null);
    expect(doc.overflowFilter?.items).toBeGreaterThan(0);
    const loaded = fromProfileDocument(JSON.parse(JSON.stringify(doc)));
    expect(loaded.profile.match({ category: 'syscall', nr: 119 }).via).toBe('overflow');
    expect(loaded.profile.overflow.syscall).toBe(profile.overflow.syscall);
  });

  it('restarts quiet time at load for documents written before learnedSecondsAtLastNovelty existed', () => {
    const doc = toProfileDocument(sampleProfile(), workload, { ...lifecycle, state: 'learning', learnedSeconds: 7200 }, null);
    const legacy: Record<string, unknown> = JSON.parse(JSON.stringify(doc));
    delete legacy['learnedSecondsAtLastNovelty'];
    expect(fromProfileDocument(legacy).lifecycle.learnedSecondsAtLastNovelty).toBe(7200);
    expect(fromProfileDocument({ ...legacy, lastNoveltyAt: null }).lifecycle.learnedSecondsAtLastNovelty).toBeNull();
    expect(() => fromProfileDocument({ ...legacy, learnedSecondsAtLastNovelty: 'soon' })).toThrow(/learnedSecondsAtLastNovelty/);
  });

  it('names the offending field of a malformed document', () => {
    const doc = toProfileDocument(sampleProfile(), workload, lifecycle, null);
    const broken = (mutate: (d: ProfileDocument) => void) => {
      const copy = structuredClone(doc);
      mutate(copy);
      return () => fromProfileDocument(copy);
    };
    const first = <T>(list: T[]): T => list[0] as T;
    expect(broken((d) => Object.assign(d, { schemaVersion: 2 }))).toThrow(/profile.schemaVersion must be 1/);
    expect(broken((d) => Object.assign(d, { state: 'done' }))).toThrow(/profile.state must be learning \| ready \| locked/);
    expect(broken((d) => (first(d.entries.syscall).support = -1))).toThrow(/profile.entries.syscall\[0\].support must be a non-negative integer/);
    expect(broken((d) => Object.assign(first(d.entries.file), { modes: ['execute'] }))).toThrow(/entries.file\[0\].modes\[0\] must be read/);
    expect(broken((d) => (first(d.entries.syscall_sequence).calls = '1 x'))).toThrow(/calls must be space-separated syscall numbers/);
    expect(broken((d) => (first(d.entries.dns).firstSeen = 'yesterday'))).toThrow(/firstSeen must be an ISO timestamp/);
    expect(() => fromProfileDocument(null)).toThrow(/profile must be an object/);
  });
});
