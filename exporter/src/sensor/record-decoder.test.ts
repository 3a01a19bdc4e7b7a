import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FrameReader } from './frame-reader.js';
import { DecodeError, decodeRecord, formatIpv6 } from './record-decoder.js';
import type { SensorRecord } from './sensor-record.js';
import { execRecord, fileRecord, record, syscallRecord } from './test-fixtures/record-builder.js';
import { ExecFlag, HeaderOffset, RecordKind } from './wire.js';

/** A stream recorded from the real loader by test/fixtures/record-sensor-stream.sh. */
function recordedStream(): SensorRecord[] {
  const out: SensorRecord[] = [];
  const reader = new FrameReader(
    (bytes) => out.push(decodeRecord(bytes)),
    (problem) => {
      throw new Error(problem.message);
    },
  );
  reader.push(readFileSync(new URL('./test-fixtures/recorded-stream.bin', import.meta.url)));
  reader.end();
  return out;
}

describe('decodeRecord on a recorded loader stream', () => {
  const records = recordedStream();
  const exec = records.find((r) => r.kind === 'exec');
  const workDir = exec?.kind === 'exec' ? (exec.argv[0] ?? '').replace(/\/bin\/ls$/, '') : '';

  it('starts with the loader hello', () => {
    expect(records[0]).toMatchObject({ kind: 'hello', ngramLength: 6, sequences: true, capabilityHook: true });
  });

  it('resolves a busybox applet to the real binary and keeps argv', () => {
    expect(exec).toMatchObject({ kind: 'exec', exe: '/usr/bin/busybox', argv: [`${workDir}/bin/ls`, '/'], argc: 2 });
    expect(exec?.kind === 'exec' && exec.parentExe).toBe('/usr/bin/python3.11');
    expect(exec?.process.comm).toBe('ls');
    expect(workDir).toMatch(/^\/tmp\/telltale-fixture\./);
  });

  it('resolves relative and dotted open paths to the same absolute path', () => {
    const opens = records.filter((r) => r.kind === 'file').map((r) => (r.kind === 'file' ? r : null));
    const configOpens = opens.filter((r) => r?.path === `${workDir}/etc/config`);
    expect(configOpens.map((r) => r?.rawPath).sort()).toEqual([`${workDir}/etc/../etc/./config`, 'config']);
    expect(configOpens.every((r) => r?.read && !r.write)).toBe(true);
    expect(opens.find((r) => r?.path === `${workDir}/out.txt`)).toMatchObject({ write: true, create: true, truncate: true, read: false });
  });

  it('decodes network peers and the DNS query name parsed in the kernel', () => {
    const peers = records.filter((r) => r.kind === 'network');
    expect(peers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ direction: 'connect', family: 'inet', protocol: 'udp', address: '127.0.0.1', port: 53 }),
        expect.objectContaining({ direction: 'connect', family: 'inet', protocol: 'tcp', address: '127.0.0.1', port: 9 }),
      ]),
    );
    expect(records.filter((r) => r.kind === 'dns')).toEqual([expect.objectContaining({ name: 'example.org', qtype: 1 })]);
  });

  it('decodes sequences (which carry the syscall set) and capabilities, all for the one cgroup', () => {
    const observed = records.filter((r) => 'process' in r);
    const cgroups = new Set(observed.map((r) => ('process' in r ? r.process.cgroupId : '')));
    expect(cgroups.size).toBe(1);
    // With sequences on, the kernel sends no syscall records: user space derives the set from the n-grams.
    expect(records.some((r) => r.kind === 'syscall')).toBe(false);
    expect(records.some((r) => r.kind === 'syscall_sequence' && r.calls.includes(257))).toBe(true);
    const sequence = records.find((r) => r.kind === 'syscall_sequence');
    expect(sequence?.kind === 'syscall_sequence' && sequence.calls).toHaveLength(6);
    expect(records.some((r) => r.kind === 'capability')).toBe(true);
    expect(records.some((r) => r.kind === 'stats')).toBe(true);
    expect(records.filter((r) => r.kind === 'map_info').map((r) => (r.kind === 'map_info' ? r.name : ''))).toContain('tt_seen');
  });
});

describe('decodeRecord on built records', () => {
  it('decodes exec facts and LD_PRELOAD', () => {
    const decoded = decodeRecord(
      execRecord({
        exe: '/usr/bin/bash',
        argv: ['bash', '-i'],
        flags: ExecFlag.stdinSocket | ExecFlag.stdoutSocket | ExecFlag.ldPreload,
        ldPreload: '/tmp/evil.so',
      }),
    );
    expect(decoded).toMatchObject({
      kind: 'exec',
      exe: '/usr/bin/bash',
      ldPreload: '/tmp/evil.so',
      facts: { stdinSocket: true, stdoutSocket: true, stderrSocket: false, memfd: false },
    });
  });

  it('normalizes relative file paths against the walked base', () => {
    expect(decodeRecord(fileRecord({ raw: '../b/./c', base: '/srv/a' }))).toMatchObject({ path: '/srv/b/c', rawPath: '../b/./c' });
    expect(decodeRecord(fileRecord({ raw: '//etc//passwd/' }))).toMatchObject({ path: '/etc/passwd' });
    expect(decodeRecord(fileRecord({ raw: '/../../etc/shadow' }))).toMatchObject({ path: '/etc/shadow' });
  });

  it('names what is wrong with a bad record', () => {
    const expectError = (bytes: Uint8Array, code: string, message: RegExp) => {
      try {
        decodeRecord(bytes);
        expect.unreachable('decodeRecord accepted a bad record');
      } catch (error) {
        expect(error).toBeInstanceOf(DecodeError);
        expect(error).toMatchObject({ code });
        expect((error as Error).message).toMatch(message);
      }
    };
    expectError(new Uint8Array(10), 'short_record', /10 bytes is shorter than the 56-byte header/);

    const wrongVersion = syscallRecord(1);
    wrongVersion[HeaderOffset.version] = 9;
    expectError(wrongVersion, 'bad_version', /syscall record has wire version 9, expected 1/);

    const unknown = syscallRecord(1);
    unknown[HeaderOffset.kind] = 200;
    expectError(unknown, 'unknown_kind', /unknown record kind 200/);

    expectError(syscallRecord(1).subarray(0, 60), 'bad_size', /says it has 64 bytes but the frame holds 60/);

    const exec = execRecord({ exe: '/bin/true', argv: ['true'] });
    new DataView(exec.buffer).setUint16(64, 5000, true); // argv_len past the end
    expectError(exec, 'bad_field', /exec record: argv spans bytes 72\.\.5072 but the record ends at/);

    expectError(record({ kind: RecordKind.network }, new Uint8Array(24)), 'bad_field', /unknown direction 0/);
  });
});

describe('formatIpv6', () => {
  it('prints RFC 5952 forms', () => {
    const bytes = (words: number[]) => {
      const out = new Uint8Array(16);
      words.forEach((w, i) => {
        out[i * 2] = w >> 8;
        out[i * 2 + 1] = w & 0xff;
      });
      return out;
    };
    expect(formatIpv6(bytes([0, 0, 0, 0, 0, 0, 0, 1]))).toBe('::1');
    expect(formatIpv6(bytes([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1]))).toBe('2001:db8::1:0:0:1');
    expect(formatIpv6(bytes([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]))).toBe('::ffff:127.0.0.1');
    expect(formatIpv6(bytes([0xfe80, 1, 2, 3, 4, 5, 6, 7]))).toBe('fe80:1:2:3:4:5:6:7');
  });
});
