import { describe, expect, it } from 'vitest';
import { WorkloadProfile } from './profile-model.js';
import type { Observation } from './observation.js';

const ctx = (epoch: number, afterReady = false) => ({ epoch, time: 1_700_000_000_000 + epoch * 60_000, afterReady });

function learn(profile: WorkloadProfile, obs: Observation[], epoch = 1): void {
  for (const o of obs) profile.observe(o, ctx(epoch));
}

describe('WorkloadProfile: files', () => {
  it('generalizes /proc/<pid> and temp names, and tracks modes', () => {
    const p = new WorkloadProfile();
    learn(p, [
      { category: 'file', path: '/proc/4242/stat', modes: ['read'] },
      { category: 'file', path: '/tmp/tmpa8Fk2Zq', modes: ['write', 'create'] },
    ]);
    expect(p.match({ category: 'file', path: '/proc/77/stat', modes: ['read'] }).known).toBe(true);
    expect(p.match({ category: 'file', path: '/tmp/tmpQ9zz1x', modes: ['write'] }).known).toBe(true);
    const wrongMode = p.match({ category: 'file', path: '/proc/77/stat', modes: ['write'] });
    expect(wrongMode).toMatchObject({ known: false, parentKnown: true, parentSupport: 1 });
    expect(p.match({ category: 'file', path: '/etc/shadow', modes: ['read'] }).known).toBe(false);
  });

  it('collapses a directory past its fan-out and honours overrides', () => {
    const p = new WorkloadProfile({ pathFanout: 5, pathFanoutOverrides: { '/etc': 8 } });
    for (let i = 0; i < 7; i++) learn(p, [{ category: 'file', path: `/var/cache/app/entry-${String.fromCharCode(97 + i)}`, modes: ['read'] }]);
    for (let i = 0; i < 7; i++) learn(p, [{ category: 'file', path: `/etc/conf-${String.fromCharCode(97 + i)}`, modes: ['read'] }]);
    expect(p.match({ category: 'file', path: '/var/cache/app/something-else', modes: ['read'] }).known).toBe(true);
    expect(p.match({ category: 'file', path: '/etc/never-seen', modes: ['read'] }).known).toBe(false);
    expect(p.entryCounts().file).toBe(1 + 7);
  });

  it('counts support per epoch, not per sighting', () => {
    const p = new WorkloadProfile();
    const obs: Observation = { category: 'file', path: '/etc/hosts', modes: ['read'] };
    learn(p, [obs, obs], 1);
    learn(p, [obs], 2);
    expect(p.match(obs).support).toBe(2);
    expect(p.epochs).toBe(2);
  });
});

describe('WorkloadProfile: execs', () => {
  it('generalizes argv tokens and keeps binaries apart from their argv', () => {
    const p = new WorkloadProfile();
    learn(p, [{ category: 'exec', path: '/usr/bin/sleep', argv: ['sleep', '30'] }]);
    expect(p.match({ category: 'exec', path: '/usr/bin/sleep', argv: ['sleep', '45'] }).known).toBe(true);
    const newArgv = p.match({ category: 'exec', path: '/usr/bin/sleep', argv: ['sleep', '--help', 'now'] });
    expect(newArgv).toMatchObject({ known: false, parentKnown: true });
    expect(p.match({ category: 'exec', path: '/bin/sh', argv: ['sh', '-c', 'id'] })).toMatchObject({ known: false, parentKnown: false });
  });

  it('bounds argv patterns per binary (Kubescape keeps every argv verbatim)', () => {
    const p = new WorkloadProfile({ argvPatternsPerExe: 4 });
    const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
    for (const [i, w] of words.entries()) learn(p, [{ category: 'exec', path: '/usr/bin/curl', argv: ['curl', '-s', `https://${w}.example/`] }], i + 1);
    expect(p.entryCounts().exec).toBeLessThanOrEqual(1 + 4);
    expect(p.match({ category: 'exec', path: '/usr/bin/curl', argv: ['curl', '-s', 'https://iota.example/'] }).known).toBe(true);
    expect(p.overflow.exec).toBeGreaterThan(0);
  });
});

describe('WorkloadProfile: network, dns, syscalls, capabilities', () => {
  it('folds peer addresses into CIDR blocks past the fan-out, ignoring ephemeral ports on accept', () => {
    const p = new WorkloadProfile({ peerAddressFanout: 3 });
    for (let i = 1; i <= 5; i++) {
      learn(p, [{ category: 'network', direction: 'connect', family: 'inet', protocol: 'tcp', address: `10.1.2.${i}`, port: 443 }]);
    }
    expect(p.match({ category: 'network', direction: 'connect', family: 'inet', protocol: 'tcp', address: '10.1.2.200', port: 443 }).known).toBe(true);
    expect(p.match({ category: 'network', direction: 'connect', family: 'inet', protocol: 'tcp', address: '10.1.2.200', port: 22 }).known).toBe(false);
    learn(p, [{ category: 'network', direction: 'accept', family: 'inet', protocol: 'tcp', address: '192.168.0.9', port: 51234 }]);
    const again = p.match({ category: 'network', direction: 'accept', family: 'inet', protocol: 'tcp', address: '192.168.0.9', port: 40001 });
    expect(again).toMatchObject({ known: true, item: 'accept tcp 192.168.0.9:*' });
    learn(p, [{ category: 'network', direction: 'connect', family: 'inet6', protocol: 'tcp', address: '2001:db8::1', port: 80, peerName: 'web.shop.svc' }]);
    expect(p.match({ category: 'network', direction: 'connect', family: 'inet6', protocol: 'tcp', address: '2001:db8::2', port: 80, peerName: 'web.shop.svc' }).known).toBe(true);
  });

  it('generalizes DNS labels and folds wide suffixes', () => {
    const p = new WorkloadProfile({ dnsFanout: 3 });
    for (const name of ['a.svc.cluster.local', 'b.svc.cluster.local', 'c.svc.cluster.local', 'd.svc.cluster.local.']) {
      learn(p, [{ category: 'dns', name }]);
    }
    expect(p.match({ category: 'dns', name: 'zzz.svc.cluster.local' }).known).toBe(true);
    expect(p.match({ category: 'dns', name: 'pool.minexmr.com' }).known).toBe(false);
    learn(p, [{ category: 'dns', name: 'Node-3f2504e0-4f89-11d3-9a0c-0305e82c3301.example.com' }]);
    expect(p.match({ category: 'dns', name: 'node-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee.example.com' }).known).toBe(true);
  });

  it('keeps syscalls, sequences and capabilities with support', () => {
    const p = new WorkloadProfile({ ngramLength: 3 });
    learn(p, [
      { category: 'syscall', nr: 59 },
      { category: 'syscall_sequence', calls: [0, 1, 2] },
      { category: 'capability', capability: 21 },
    ]);
    expect(p.match({ category: 'syscall', nr: 59 }).known).toBe(true);
    expect(p.match({ category: 'syscall', nr: 60 }).known).toBe(false);
    expect(p.match({ category: 'syscall_sequence', calls: [0, 1, 2] })).toMatchObject({ known: true, noveltyOrder: 4 });
    expect(p.match({ category: 'syscall_sequence', calls: [0, 1, 3] })).toMatchObject({ known: false, noveltyOrder: 1 });
    expect(p.match({ category: 'capability', capability: 21 }).known).toBe(true);
    expect(() => p.observe({ category: 'syscall_sequence', calls: [1, 2] }, ctx(1))).toThrow(/n=3/);
  });
});

describe('WorkloadProfile: budget', () => {
  it('never grows past the budget, collapses directories first, then counts overflow', () => {
    const p = new WorkloadProfile({ maxEntries: 50, pathFanout: 1000 });
    for (let d = 0; d < 10; d++) {
      for (let f = 0; f < 10; f++) learn(p, [{ category: 'file', path: `/data/d${String.fromCharCode(97 + d)}/f${String.fromCharCode(97 + f)}`, modes: ['read'] }]);
    }
    expect(p.totalEntries).toBeLessThanOrEqual(50);
    expect(p.overflow.file).toBeGreaterThan(0);
    expect(p.match({ category: 'file', path: '/data/da/fz', modes: ['read'] }).known).toBe(true);
    for (let i = 0; i < 200; i++) learn(p, [{ category: 'syscall', nr: i }]);
    expect(p.totalEntries).toBeLessThanOrEqual(50);
    expect(p.overflow.syscall).toBeGreaterThan(100);
    // Overflowed items are remembered by the fixed-size filter and do not look novel.
    expect(p.match({ category: 'syscall', nr: 199 })).toMatchObject({ known: true, via: 'overflow', support: 1 });
    expect(p.match({ category: 'syscall', nr: 400 }).known).toBe(false);
  });
});

describe('WorkloadProfile: binaries never fold', () => {
  it('keeps every binary of a wide directory distinct, so a new tool still looks new', () => {
    const p = new WorkloadProfile({ pathFanout: 5 });
    for (let i = 0; i < 20; i++) learn(p, [{ category: 'exec', path: `/usr/bin/tool${String.fromCharCode(97 + i)}`, argv: ['t'] }]);
    expect(p.match({ category: 'exec', path: '/usr/bin/nc', argv: ['nc'] }).known).toBe(false);
    expect(p.match({ category: 'exec', path: '/usr/bin/toolc', argv: ['t'] }).known).toBe(true);
  });
});
