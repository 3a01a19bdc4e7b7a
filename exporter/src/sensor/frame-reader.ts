import { FRAME_PREFIX_BYTES, HEADER_BYTES, HeaderOffset, MAX_RECORD_BYTES, RecordKind, WIRE_VERSION } from './wire.js';

export interface FrameProblem {
  /** `bad_length`: a prefix that cannot start a frame; bytes were skipped to find the next one. */
  readonly code: 'bad_length' | 'truncated';
  readonly message: string;
  readonly skippedBytes: number;
}

const KNOWN_KINDS = new Set<number>(Object.values(RecordKind));
/** Bytes needed to judge a frame start: the prefix and the header up to its version byte. */
const JUDGED_BYTES = FRAME_PREFIX_BYTES + HeaderOffset.version + 1;

/**
 * Splits the loader's byte stream into frames (u32 little-endian length, then the
 * record). The stream arrives in arbitrary chunks. A length that cannot be right
 * means garbage: the reader reports it and scans forward for the next position
 * that looks like a frame (plausible length, matching header size, known kind and
 * version), so one bad write costs the frames it overlapped, not the stream.
 */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);
  /** Stream offset of buffer[0], for error messages. */
  private consumed = 0;

  constructor(
    private readonly onFrame: (record: Uint8Array) => void,
    private readonly onProblem: (problem: FrameProblem) => void,
  ) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let at = 0;
    while (this.buffer.length - at >= FRAME_PREFIX_BYTES) {
      if (!looksLikeFrame(this.buffer, at)) {
        const next = findNextFrame(this.buffer, at + 1);
        // Without a plausible start, skip every position that could be judged; keep the rest for the next chunk.
        const skipped = (next === -1 ? this.buffer.length - JUDGED_BYTES + 1 : next) - at;
        if (skipped <= 0) break;
        this.onProblem({
          code: 'bad_length',
          message: `garbage in the loader stream: skipped ${skipped} bytes at offset ${this.consumed + at} (length prefix ${this.buffer.readUInt32LE(at)})`,
          skippedBytes: skipped,
        });
        at += skipped;
        continue;
      }
      const length = this.buffer.readUInt32LE(at);
      if (this.buffer.length - at - FRAME_PREFIX_BYTES < length) break;
      const start = at + FRAME_PREFIX_BYTES;
      this.onFrame(new Uint8Array(this.buffer.buffer, this.buffer.byteOffset + start, length));
      at = start + length;
    }
    this.consumed += at;
    this.buffer = at === 0 ? this.buffer : Buffer.from(this.buffer.subarray(at));
  }

  /** The stream ended: whatever is buffered is a frame cut short. */
  end(): void {
    if (this.buffer.length > 0) {
      this.onProblem({
        code: 'truncated',
        message: `loader stream ended inside a frame: ${this.buffer.length} bytes left over`,
        skippedBytes: this.buffer.length,
      });
    }
    this.buffer = Buffer.alloc(0);
  }

  get bufferedBytes(): number {
    return this.buffer.length;
  }
}

/**
 * A frame prefix is plausible when its length fits a record and, as far as the
 * bytes are here, the header agrees: same size, current version, a known kind.
 */
function looksLikeFrame(buf: Buffer, at: number): boolean {
  const length = buf.readUInt32LE(at);
  if (length < HEADER_BYTES || length > MAX_RECORD_BYTES) return false;
  const header = at + FRAME_PREFIX_BYTES;
  if (buf.length >= header + HeaderOffset.version + 1) {
    if (buf.readUInt16LE(header + HeaderOffset.size) !== length) return false;
    if (!KNOWN_KINDS.has(buf.readUInt8(header + HeaderOffset.kind))) return false;
    if (buf.readUInt8(header + HeaderOffset.version) !== WIRE_VERSION) return false;
  }
  return true;
}

function findNextFrame(buf: Buffer, from: number): number {
  for (let at = from; at + JUDGED_BYTES <= buf.length; at++) {
    if (looksLikeFrame(buf, at)) return at;
  }
  return -1;
}
