import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RuleEvent } from './behavioural-rule.js';
import { BEHAVIOURAL_RULES, evaluateRules } from './rule-catalog.js';
import { connect, dns, exec, open, signal } from './test-fixtures/records.js';

const fires = (event: RuleEvent) => evaluateRules(event).map((m) => m.rule.id);

describe('behavioural rules on decoded records', () => {
  it.each<[string, RuleEvent, RuleEvent]>([
    ['reverse-shell', exec('/usr/bin/bash', ['bash', '-i'], { stdinSocket: true, stdoutSocket: true }), exec('/usr/bin/bash', ['bash', '-c', 'ls'])],
    ['reverse-shell', exec('/bin/busybox', ['sh'], { parentConnectedSocket: true }), exec('/bin/busybox', ['sh', '-c', 'date'], { parentConnectedSocket: true })],
    ['reverse-shell', exec('/usr/bin/python3.11', ['python3', '-c', 'x'], { stdinSocket: true }), exec('/usr/bin/cat', ['cat'], { stdinSocket: true })],
    ['fileless-exec', exec('/memfd:payload', ['x'], { memfd: true }), exec('/memfd:runc_cloned:/proc/self/exe', ['runc', 'init'], { memfd: true }, { parentExe: '/usr/bin/runc' })],
    ['fileless-exec', exec('/tmp/gone', ['gone'], { unlinked: true }), exec('/usr/bin/gone', ['gone'])],
    ['exec-from-temp', exec('/dev/shm/x', ['x'], { fromDevShm: true }), exec('/usr/bin/sh', ['sh', '/tmp/script.sh'])],
    ['exec-not-in-image', exec('/usr/local/bin/tool', ['tool'], { onOverlay: true, overlayUpper: true }), exec('/usr/bin/tool', ['tool'], { onOverlay: true })],
    ['kernel-module-load', signal('module_load', 313n, 3n, 313), signal('setns', 0n)],
    ['ptrace-attach', signal('ptrace', 16n, 99n), signal('module_load', 175n) /* fires another rule, not ptrace */],
    ['namespace-change', signal('unshare', 0x40000000n), signal('ptrace', 0n)],
    ['service-account-token-read', open('/var/run/secrets/kubernetes.io/serviceaccount/token', 'cat'), open('/var/run/secrets/kubernetes.io/serviceaccount/token', 'controller')],
    ['sensitive-file-read', open('/etc/shadow', 'cat'), open('/etc/shadow', 'unix_chkpwd')],
    ['sensitive-file-read', open('/root/.ssh/id_ed25519', 'python3'), open('/etc/passwd', 'cat')],
    ['crypto-miner', connect('10.0.0.9', 3333), connect('10.0.0.9', 443)],
    ['crypto-miner', dns('xmr-eu1.nanopool.org'), dns('pool.ntp.org')],
    ['crypto-miner', exec('/opt/x', ['x', '-o', 'stratum+tcp://1.2.3.4:80']), exec('/opt/x', ['x', '-o', 'https://1.2.3.4'])],
    ['ld-preload', exec('/usr/bin/ls', ['ls'], {}, { ldPreload: '/tmp/evil.so' }), exec('/usr/bin/ls', ['ls'], {}, { ldPreload: '/usr/lib/x86_64-linux-gnu/libjemalloc.so.2' })],
    ['ld-preload', open('/etc/ld.so.preload', 'sh', { write: true, create: true }), open('/etc/ld.so.preload', 'ld.so', { read: true })],
  ])('%s fires on the attack and stays quiet on its lookalike', (id, attack, lookalike) => {
    expect(fires(attack)).toContain(id);
    expect(fires(lookalike)).not.toContain(id);
  });

  it('has the ids and severities the README documents, each with a description', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const rule of BEHAVIOURAL_RULES) {
      expect(readme).toContain(`| \`${rule.id}\` | ${rule.severity} |`);
      expect(rule.description.length).toBeGreaterThan(20);
    }
    expect(new Set(BEHAVIOURAL_RULES.map((r) => r.id)).size).toBe(11);
  });

  it('names the offending item in every hit', () => {
    expect(evaluateRules(exec('/dev/shm/x', ['x'], { fromDevShm: true }))[0]).toMatchObject({ item: '/dev/shm/x', summary: expect.stringContaining('/dev/shm') });
  });
});
