import { FRAME_PREFIX_BYTES, HEADER_BYTES, HeaderOffset, MAX_RECORD_BYTES, RecordKind, WIRE_VERSION } from './wire.js';

export interface FrameProblem {
  /**
   * `bad_length`: bytes that cannot start a frame (a bad length prefix, or a header that disagrees
   * with it); they were skipped up to the next plausible frame, and the message says why.
   * `truncated`: the stream ended inside a frame.
   */
  readonly code: 'bad_length' | 'truncated';
  readonly message: string;
  readonly skippedBytes: number;
}

const KNOWN_KINDS = new Set<number>(Object.values(RecordKind));
/** Bytes needed to judge a frame start: the prefix and the header up to its version byte. */
const JUDGED_BYTES = FRAME_PREFIX_BYTES + HeaderOffset.version + 1;
/**
 * A run of garbage is reported when it ends, as one problem, so the count does not depend on how
 * the pipe chunked it. No frame is longer than this, so a run this long is reported (and a new one
 * begun) even before it ends: a loader writing nothing but garbage still shows on the counter.
 */
const MAX_GARBAGE_RUN = FRAME_PREFIX_BYTES + MAX_RECORD_BYTES;

interface GarbageRun {
  /** Stream offset of its first byte. */
  readonly offset: number;
  /** Why its first byte could not start a frame. */
  readonly reason: string;
  bytes: number;
}

/**
 * Splits the loader's byte stream into frames (u32 little-endian length, then the
 * record). The stream arrives in arbitrary chunks. A length that cannot be right
 * means garbage: the reader scans forward for the next position that looks like a
 * frame (plausible length, matching header size, known kind and version), so one
 * bad write costs the frames it overlapped, not the stream. Each run of garbage is
 * one problem, whatever the chunking.
 */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  /** Stream offset of buffer[0], for error messages. */
  private consumed = 0;
  private garbage: GarbageRun | null = null;

  constructor(
    private readonly onFrame: (record: Uint8Array) => void,
    private readonly onProblem: (problem: FrameProblem) => void,
  ) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let at = 0;
    while (this.buffer.length - at >= FRAME_PREFIX_BYTES) {
      const fault = frameFault(this.buffer, at);
      if (fault !== 'none') {
        const next = findNextFrame(this.buffer, at + 1);
        // Without a plausible start, skip every position that could be judged; keep the rest for the next chunk.
        const skippable = (next === -1 ? this.buffer.length - JUDGED_BYTES + 1 : next) - at;
        if (skippable <= 0) break;
        const run = (this.garbage ??= { offset: this.consumed + at, reason: describeFault(this.buffer, at, fault), bytes: 0 });
        const skipped = Math.min(skippable, MAX_GARBAGE_RUN - run.bytes);
        run.bytes += skipped;
        at += skipped;
        if (run.bytes >= MAX_GARBAGE_RUN) this.reportGarbage();
        continue;
      }
      const length = this.buffer.readUInt32LE(at);
      if (this.buffer.length - at - FRAME_PREFIX_BYTES < length) break;
      // Only a whole frame ends a run: a start judged on a partial header may still turn out bad.
      this.reportGarbage();
      const start = at + FRAME_PREFIX_BYTES;
      this.onFrame(new Uint8Array(this.buffer.buffer, this.buffer.byteOffset + start, length));
      at = start + length;
    }
    this.consumed += at;
    this.buffer = at === 0 ? this.buffer : Buffer.from(this.buffer.subarray(at));
  }

  /** The stream ended: a pending run of garbage is reported, and whatever is buffered is a frame cut short. */
  end(): void {
    const left = this.buffer.length;
    if (this.garbage && (left < FRAME_PREFIX_BYTES || frameFault(this.buffer, 0) !== 'none')) {
      // Too little to judge, or judged bad: the rest belongs to the run.
      this.garbage.bytes += left;
      this.reportGarbage();
    } else {
      this.reportGarbage();
      if (left > 0) {
        const arrived =
          left < FRAME_PREFIX_BYTES
            ? `${left} bytes of a ${FRAME_PREFIX_BYTES}-byte length prefix arrived`
            : `${left} of its ${FRAME_PREFIX_BYTES + this.buffer.readUInt32LE(0)} bytes arrived`;
        this.onProblem({
          code: 'truncated',
          message: `loader stream ended inside a frame at offset ${this.consumed}: ${arrived}`,
          skippedBytes: left,
        });
      }
    }
    this.consumed += left;
    this.buffer = Buffer.alloc(0);
  }

  get bufferedBytes(): number {
    return this.buffer.length;
  }

  private reportGarbage(): void {
    const run = this.garbage;
    if (!run) return;
    this.garbage = null;
    this.onProblem({
      code: 'bad_length',
      message: `garbage in the loader stream: skipped ${run.bytes} bytes at offset ${run.offset}: ${run.reason}`,
      skippedBytes: run.bytes,
    });
  }
}

type FrameFault = 'none' | 'length' | 'size' | 'kind' | 'version';

/**
 * Whether a frame can start here: its length fits a record and, as far as the bytes
 * are here, the header agrees (same size, current version, a known kind). The scan for
 * the next frame asks this at every byte of a garbage run, so it returns a code and
 * leaves the words to describeFault, called once per run.
 */
function frameFault(buf: Buffer, at: number): FrameFault {
  const length = buf.readUInt32LE(at);
  if (length < HEADER_BYTES || length > MAX_RECORD_BYTES) return 'length';
  const header = at + FRAME_PREFIX_BYTES;
  if (buf.length >= header + HeaderOffset.version + 1) {
    if (buf.readUInt16LE(header + HeaderOffset.size) !== length) return 'size';
    if (!KNOWN_KINDS.has(buf.readUInt8(header + HeaderOffset.kind))) return 'kind';
    if (buf.readUInt8(header + HeaderOffset.version) !== WIRE_VERSION) return 'version';
  }
  return 'none';
}

/** Why a frame cannot start here, in words: a log line is then enough to debug it. */
function describeFault(buf: Buffer, at: number, fault: Exclude<FrameFault, 'none'>): string {
  const length = buf.readUInt32LE(at);
  const header = at + FRAME_PREFIX_BYTES;
  switch (fault) {
    case 'length':
      return `length prefix ${length} is outside ${HEADER_BYTES}..${MAX_RECORD_BYTES}`;
    case 'size':
      return `length prefix ${length} but the record header says ${buf.readUInt16LE(header + HeaderOffset.size)} bytes`;
    case 'kind':
      return `unknown record kind ${buf.readUInt8(header + HeaderOffset.kind)}`;
    case 'version':
      return `wire version ${buf.readUInt8(header + HeaderOffset.version)}, expected ${WIRE_VERSION}`;
  }
}

function findNextFrame(buf: Buffer, from: number): number {
  for (let at = from; at + JUDGED_BYTES <= buf.length; at++) {
    if (frameFault(buf, at) === 'none') return at;
  }
  return -1;
}
