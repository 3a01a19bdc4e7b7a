import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { SensorPipeline } from '../daemon/sensor-pipeline.js';
import { SensorMetrics } from '../metrics/sensor-metrics.js';
import { CgroupIndex } from '../workloads/cgroup-index.js';
import { ContainerNameResolver } from '../workloads/container-names.js';
import { StandaloneAttributor } from '../workloads/standalone-attributor.js';
import { FrameReader } from './frame-reader.js';
import { LoaderSupervisor } from './loader-supervisor.js';
import { DecodeError, decodeRecord } from './record-decoder.js';
import type { SensorRecord } from './sensor-record.js';
import { FileOffset, FRAME_PREFIX_BYTES, HeaderOffset, NetworkOffset, SequenceOffset } from './wire.js';

/**
 * Faults injected into a stream recorded from the real loader (test/fixtures/record-sensor-stream.sh),
 * rather than into frames built by hand: the real stream has the record mix, sizes and neighbours the
 * frame reader's resynchronisation has to cope with in production.
 */
const RECORDED = readFileSync(new URL('./test-fixtures/recorded-stream.bin', import.meta.url));

interface RecordedFrame {
  /** Length prefix and record, exactly as the loader wrote them. */
  readonly bytes: Buffer;
  readonly record: SensorRecord;
}

/** Splits the clean fixture by its length prefixes; deliberately independent of FrameReader. */
function splitRecorded(stream: Buffer): RecordedFrame[] {
  const out: RecordedFrame[] = [];
  let at = 0;
  while (at < stream.length) {
    const length = stream.readUInt32LE(at);
    const bytes = stream.subarray(at, at + FRAME_PREFIX_BYTES + length);
    out.push({ bytes, record: decodeRecord(bytes.subarray(FRAME_PREFIX_BYTES)) });
    at += bytes.length;
  }
  return out;
}

const FRAMES = splitRecorded(RECORDED);

interface Problem {
  /** `frame` problems come from the frame reader, `record` ones from the decoder. */
  readonly source: 'frame' | 'record';
  readonly code: string;
  readonly message: string;
}

interface Outcome {
  readonly records: SensorRecord[];
  readonly problems: Problem[];
}

/** FrameReader + decodeRecord as the supervisor wires them; any error other than DecodeError escapes and fails the test. */
function decodeStream(stream: Buffer, chunkSize = stream.length): Outcome {
  const records: SensorRecord[] = [];
  const problems: Problem[] = [];
  const reader = new FrameReader(
    (bytes) => {
      try {
        records.push(decodeRecord(bytes));
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
        problems.push({ source: 'record', code: error.code, message: error.message });
      }
    },
    (problem) => problems.push({ source: 'frame', code: problem.code, message: problem.message }),
  );
  for (let at = 0; at < stream.length; at += Math.max(1, chunkSize)) reader.push(stream.subarray(at, at + chunkSize));
  reader.end();
  return { records, problems };
}

/**
 * The sweeps below compare tens of thousands of record lists; a plain deep-equality check keeps
 * them fast, and expect() runs only on a mismatch, for its diff.
 */
function expectSame<T>(actual: T, expected: T, where: string): void {
  if (!isDeepStrictEqual(actual, expected)) expect(actual, where).toEqual(expected);
}

function indexOfKind(kind: SensorRecord['kind'], nth = 0): number {
  const indices = FRAMES.flatMap((frame, i) => (frame.record.kind === kind ? [i] : []));
  const index = indices[nth];
  if (index === undefined) throw new Error(`the recorded stream has no ${kind} record #${nth}; re-record the fixture?`);
  return index;
}

/** A fault replaces one recorded frame (or adds bytes after it) and must cost exactly one problem. */
interface Fault {
  readonly frame: number;
  readonly what: string;
  /** The bytes that go into the stream in place of the frame. */
  readonly replace: (frame: Buffer) => Buffer;
  /** True when the frame itself stays intact and the damage is extra bytes. */
  readonly keepsFrame: boolean;
  readonly expected: { readonly source: Problem['source']; readonly code: string; readonly message: RegExp };
}

function edited(frame: Buffer, edit: (copy: Buffer) => void): Buffer {
  const copy = Buffer.from(frame);
  edit(copy);
  return copy;
}

/** Offsets inside a frame: the record starts after the length prefix. */
const R = FRAME_PREFIX_BYTES;
const INJECTED_GARBAGE = Buffer.from('\x00\x01 not a frame: something else wrote to the loader pipe \xff\xfe', 'latin1');

/** (b) bytes flipped inside frames and garbage between frames, (c) corrupted length prefixes. */
const FAULTS: readonly Fault[] = [
  {
    frame: indexOfKind('file', 0),
    what: 'raw path length pointing past the record',
    replace: (f) => edited(f, (c) => c.writeUInt16LE(0xffff, R + FileOffset.rawLen)),
    keepsFrame: false,
    expected: { source: 'record', code: 'bad_field', message: /^file record: raw path spans bytes \d+\.\.\d+ but the record ends at \d+$/ },
  },
  {
    frame: indexOfKind('syscall_sequence', 3),
    what: 'n-gram length of zero',
    replace: (f) => edited(f, (c) => c.writeUInt32LE(0, R + SequenceOffset.length)),
    keepsFrame: false,
    expected: { source: 'record', code: 'bad_field', message: /^syscall_sequence record has n-gram length 0, outside 1\.\.7$/ },
  },
  {
    frame: indexOfKind('syscall_sequence', 5),
    what: 'garbage injected after the frame',
    replace: (f) => Buffer.concat([f, INJECTED_GARBAGE]),
    keepsFrame: true,
    expected: {
      source: 'frame',
      code: 'bad_length',
      message: new RegExp(`^garbage in the loader stream: skipped ${INJECTED_GARBAGE.length} bytes at offset \\d+: length prefix \\d+ is outside 56\\.\\.65535$`),
    },
  },
  {
    frame: indexOfKind('exec', 0),
    what: 'record kind flipped to an unknown one',
    replace: (f) => edited(f, (c) => c.writeUInt8(200, R + HeaderOffset.kind)),
    keepsFrame: false,
    expected: { source: 'frame', code: 'bad_length', message: /^garbage in the loader stream: skipped \d+ bytes at offset \d+: unknown record kind 200$/ },
  },
  {
    frame: indexOfKind('syscall_sequence', 12),
    what: 'wire version flipped',
    replace: (f) => edited(f, (c) => c.writeUInt8(7, R + HeaderOffset.version)),
    keepsFrame: false,
    expected: { source: 'frame', code: 'bad_length', message: /^garbage in the loader stream: skipped 76 bytes at offset \d+: wire version 7, expected 1$/ },
  },
  {
    frame: indexOfKind('syscall_sequence', 20),
    what: 'length prefix far beyond any record (c)',
    replace: (f) => edited(f, (c) => c.writeUInt32LE(0xffffffff, 0)),
    keepsFrame: false,
    expected: { source: 'frame', code: 'bad_length', message: /^garbage in the loader stream: skipped 76 bytes at offset \d+: length prefix 4294967295 is outside 56\.\.65535$/ },
  },
  {
    frame: indexOfKind('file', 2),
    what: 'length prefix shorter than the record (c)',
    replace: (f) => edited(f, (c) => c.writeUInt32LE(c.readUInt32LE(0) - 8, 0)),
    keepsFrame: false,
    expected: { source: 'frame', code: 'bad_length', message: /^garbage in the loader stream: skipped \d+ bytes at offset \d+: length prefix \d+ but the record header says \d+ bytes$/ },
  },
  {
    frame: indexOfKind('network', 1),
    what: 'unknown direction',
    replace: (f) => edited(f, (c) => c.writeUInt8(9, R + NetworkOffset.direction)),
    keepsFrame: false,
    expected: { source: 'record', code: 'bad_field', message: /^network record has unknown direction 9$/ },
  },
  {
    frame: indexOfKind('dns', 0),
    what: 'length prefix of zero (c)',
    replace: (f) => edited(f, (c) => c.writeUInt32LE(0, 0)),
    keepsFrame: false,
    expected: { source: 'frame', code: 'bad_length', message: /^garbage in the loader stream: skipped \d+ bytes at offset \d+: length prefix 0 is outside 56\.\.65535$/ },
  },
];

function faultedStream(faults: readonly Fault[]): { stream: Buffer; good: SensorRecord[] } {
  const byFrame = new Map(faults.map((fault) => [fault.frame, fault]));
  const parts: Buffer[] = [];
  const good: SensorRecord[] = [];
  FRAMES.forEach((frame, i) => {
    const fault = byFrame.get(i);
    parts.push(fault ? fault.replace(frame.bytes) : frame.bytes);
    if (!fault || fault.keepsFrame) good.push(frame.record);
  });
  return { stream: Buffer.concat(parts), good };
}

/** A SensorPipeline that attributes the recorded cgroup to a workload, for records and metrics without a kernel. */
function silentPipeline(): { pipeline: SensorPipeline; registry: Registry; observed: () => number } {
  const registry = new Registry();
  const cgroupId = FRAMES.map((f) => ('process' in f.record ? f.record.process.cgroupId : undefined)).find((id) => id !== undefined) ?? '';
  const index = new CgroupIndex({ root: '/nonexistent', negativeTtlMs: 1000, minRescanIntervalMs: 60_000, maxDirectories: 1 });
  index.noteCreated(cgroupId, '/fixture/workload');
  let observed = 0;
  const pipeline = new SensorPipeline(
    index,
    new StandaloneAttributor(index, new ContainerNameResolver([])),
    new SensorMetrics(registry, 'test'),
    { observe: () => void (observed += 1), signal: () => undefined, lossReported: () => undefined, unattributed: () => undefined },
    pino({ level: 'silent' }),
  );
  return { pipeline, registry, observed: () => observed };
}

/** How the frame reader says how much of a cut frame arrived. */
function arrivedText(kept: number, frameBytes: number): string {
  return kept < FRAME_PREFIX_BYTES ? `${kept} bytes of a 4-byte length prefix arrived` : `${kept} of its ${frameBytes} bytes arrived`;
}

describe('the recorded loader stream, damaged', () => {
  it('decodes cleanly as recorded (the baseline every fault is measured against)', () => {
    const { records, problems } = decodeStream(RECORDED);
    expect(problems).toEqual([]);
    expect(records).toEqual(FRAMES.map((f) => f.record));
    expect(FRAMES.length).toBeGreaterThan(FAULTS.length * 4);
    // Faults sit apart: two neighbouring frames with bad headers are one run of garbage (see below).
    const damaged = FAULTS.map((f) => f.frame).sort((a, b) => a - b);
    expect(damaged.every((frame, i) => i === 0 || frame - (damaged[i - 1] ?? -2) >= 2)).toBe(true);
  });

  it('(a) cut at any byte: the whole frames before the cut decode, and one truncation is reported unless the cut falls between frames', () => {
    // Each frame is cut after its recorded predecessor, at every byte; the window keeps the runs fast.
    FRAMES.forEach((frame, hit) => {
      const previous = FRAMES[hit - 1];
      const head = previous ? previous.bytes : Buffer.alloc(0);
      const wholeBefore = previous ? [previous.record] : [];
      for (let kept = 0; kept < frame.bytes.length; kept++) {
        const { records, problems } = decodeStream(Buffer.concat([head, frame.bytes.subarray(0, kept)]));
        const where = `frame ${hit} (${frame.record.kind}) cut after ${kept} bytes`;
        expectSame(records, wholeBefore, where);
        const expected =
          kept === 0
            ? []
            : [{ source: 'frame', code: 'truncated', message: `loader stream ended inside a frame at offset ${head.length}: ${arrivedText(kept, frame.bytes.length)}` }];
        expectSame(problems, expected, where);
      }
    });
  });

  it('(a) names how much of the cut frame arrived', () => {
    const file = indexOfKind('file', 1);
    const start = FRAMES.slice(0, file).reduce((n, f) => n + f.bytes.length, 0);
    const size = FRAMES[file]?.bytes.length ?? 0;
    expect(decodeStream(RECORDED.subarray(0, start + 30)).problems).toEqual([
      { source: 'frame', code: 'truncated', message: `loader stream ended inside a frame at offset ${start}: 30 of its ${size} bytes arrived` },
    ]);
    expect(decodeStream(RECORDED.subarray(0, start + 2)).problems).toEqual([
      { source: 'frame', code: 'truncated', message: `loader stream ended inside a frame at offset ${start}: 2 bytes of a 4-byte length prefix arrived` },
    ]);
  });

  it('(b, c) each damaged frame costs exactly one named problem, in stream order, whatever the pipe chunking', () => {
    const { stream, good } = faultedStream(FAULTS);
    const sorted = [...FAULTS].sort((a, b) => a.frame - b.frame);
    const order = sorted.map((fault) => fault.what).join('; ');
    const expected = sorted.map((fault) => ({ source: fault.expected.source, code: fault.expected.code, message: expect.stringMatching(fault.expected.message) }));
    for (const chunkSize of [1, 3, 7, 64, 1000, stream.length]) {
      const { records, problems } = decodeStream(stream, chunkSize);
      expect(problems, `chunks of ${chunkSize}; faults in stream order: ${order}`).toEqual(expected);
      expect(records, `chunks of ${chunkSize}`).toEqual(good);
    }
  });

  it('(b) neighbouring frames with damaged headers are one run of garbage: where one ended is lost with them', () => {
    const first = indexOfKind('syscall_sequence', 13);
    expect(FRAMES[first + 1]?.record.kind).toBe('syscall_sequence');
    const flipVersion = (frame: Buffer) => edited(frame, (c) => c.writeUInt8(7, R + HeaderOffset.version));
    const faults: Fault[] = [first, first + 1].map((frame) => ({
      frame,
      what: 'wire version flipped',
      replace: flipVersion,
      keepsFrame: false,
      expected: { source: 'frame', code: 'bad_length', message: /./ },
    }));
    const { stream, good } = faultedStream(faults);
    for (const chunkSize of [1, 64, stream.length]) {
      const { records, problems } = decodeStream(stream, chunkSize);
      expect(problems).toEqual([{ source: 'frame', code: 'bad_length', message: expect.stringMatching(/^garbage in the loader stream: skipped 152 bytes at offset \d+: wire version 7, expected 1$/) }]);
      expect(records).toEqual(good);
    }
  });

  /** What a single bad frame is reported as: garbage with its reason, or a decoder error naming the record and field. */
  const ONE_PROBLEM = /^(garbage in the loader stream: skipped \d+ bytes at offset \d+: (length prefix \d+ .+|unknown record kind \d+|wire version \d+, expected 1)|[a-z_]+ record[: ].+)$/;

  it('(b) any single flipped byte costs at most the frame it is in, and never throws anything but a DecodeError', () => {
    // Whatever still decodes goes on to the sensor pipeline, which must take it without throwing: in the
    // exporter an exception there would escape the loader's stdout handler.
    const { pipeline } = silentPipeline();
    // Each frame is damaged among its recorded neighbours: a resync that went astray would cost one of
    // them or leave a truncated tail, and a window keeps the ~20k runs fast.
    FRAMES.forEach((frame, hit) => {
      const window = FRAMES.slice(Math.max(0, hit - 1), hit + 3);
      const before = hit === 0 ? 0 : 1;
      const offset = window.slice(0, before).reduce((n, f) => n + f.bytes.length, 0);
      const clean = Buffer.concat(window.map((f) => f.bytes));
      const others = window.filter((_, i) => i !== before).map((f) => f.record);
      for (const mask of [0xff, 0x01, 0x80]) {
        for (let byte = 0; byte < frame.bytes.length; byte++) {
          const damaged = Buffer.from(clean);
          damaged[offset + byte] = (damaged[offset + byte] ?? 0) ^ mask;
          const { records, problems } = decodeStream(damaged);
          for (const record of records) pipeline.record(record);
          const where = `byte ${byte} ^ 0x${mask.toString(16)} of frame ${hit} (${frame.record.kind})`;
          if (problems.length === 0) {
            // Still decodes: a changed pid, comm or path byte has no checksum to fail.
            if (records.length !== window.length) expect(records, where).toHaveLength(window.length);
            expectSame(records.filter((_, i) => i !== before), others, where);
          } else {
            if (problems.length !== 1) expect(problems, where).toHaveLength(1);
            const message = problems[0]?.message ?? '';
            if (!ONE_PROBLEM.test(message)) expect(message, where).toMatch(ONE_PROBLEM);
            expectSame(records, others, where);
          }
        }
      }
    });
  });
});

describe('the recorded loader stream, damaged, through the supervisor and the sensor pipeline', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Runs the real LoaderSupervisor over a stand-in loader that writes `stream` and exits, feeding the
   * real SensorPipeline: the wiring between frame reader, decoder and metrics is what is under test.
   */
  /** `writeBytes`: the stand-in writes the stream in pieces this small, so the exporter reads it in many chunks. */
  async function throughPipeline(stream: Buffer, writeBytes?: number) {
    const dir = mkdtempSync(join(tmpdir(), 'telltale-stream-faults-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'stream.bin'), stream);
    const loader = join(dir, 'fake-loader');
    const play = writeBytes === undefined ? 'cat ' : `dd bs=${writeBytes} status=none if=`;
    writeFileSync(loader, `#!/bin/sh\nexec ${play}'${join(dir, 'stream.bin')}'\n`);
    chmodSync(loader, 0o755);

    const { pipeline, registry, observed } = silentPipeline();
    let onExit: (exit: { code: number | null; restartInMs: number | null }) => void = () => undefined;
    const exited = new Promise<{ code: number | null; restartInMs: number | null }>((resolve) => (onExit = resolve));
    const supervisor = new LoaderSupervisor(
      { loaderPath: loader, ngramLength: 6, capabilityMode: 'auto', ringbufBytes: 1 << 20, restartDelayMs: 60_000, maxRestartDelayMs: 60_000, healthyAfterMs: 60_000 },
      {
        record: (record) => pipeline.record(record),
        decodeProblem: (problem) => pipeline.decodeProblem(problem),
        started: () => pipeline.loaderStarted(),
        exited: (code, _signal, _stderr, restartInMs) => onExit({ code, restartInMs }),
      },
    );
    supervisor.start();
    const exit = await exited;
    // The stand-in only plays the stream once; the scheduled restart is not wanted.
    await supervisor.stop();
    const value = async (name: string, labels: Record<string, string>): Promise<number> => {
      const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
      return values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((n, v) => n + v.value, 0);
    };
    return {
      exit,
      observed: observed(),
      decodeErrors: await value('telltale_bpf_events_lost_total', { reason: 'decode_error' }),
      events: await value('telltale_bpf_events_total', {}),
      observations: await value('telltale_observations_total', { workload: 'fixture/workload' }),
    };
  }

  it('counts no decode error on the clean stream', async () => {
    const result = await throughPipeline(RECORDED);
    expect(result.exit.code).toBe(0);
    expect(result.decodeErrors).toBe(0);
    expect(result.events).toBe(FRAMES.length);
    expect(result.observations).toBeGreaterThan(0);
    expect(result.observations).toBe(result.observed);
  });

  it('counts each damaged frame once in telltale_bpf_events_lost_total{reason="decode_error"} and keeps the good frames', async () => {
    const clean = await throughPipeline(RECORDED);
    const { stream, good } = faultedStream(FAULTS);
    const result = await throughPipeline(stream);
    expect(result.exit.code).toBe(0);
    expect(result.decodeErrors).toBe(FAULTS.length);
    expect(result.events).toBe(good.length);
    // Observations still flow for the frames around the damage, just fewer of them.
    expect(result.observations).toBeGreaterThan(0);
    expect(result.observations).toBeLessThan(clean.observations);
  });

  it('counts the same when the loader\'s writes arrive in small pieces', async () => {
    const { stream, good } = faultedStream(FAULTS);
    const result = await throughPipeline(stream, 5);
    expect(result.decodeErrors).toBe(FAULTS.length);
    expect(result.events).toBe(good.length);
  });

  it('counts a stream cut inside a frame as one decode error when the loader exits', async () => {
    const cut = RECORDED.length - 30;
    const result = await throughPipeline(RECORDED.subarray(0, cut));
    expect(result.decodeErrors).toBe(1);
    expect(result.events).toBe(FRAMES.length - 1);
  });
});
