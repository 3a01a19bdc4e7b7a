import { describe, expect, it } from 'vitest';
import { FrameReader, type FrameProblem } from './frame-reader.js';
import { execRecord, fileRecord, frames, syscallRecord } from './test-fixtures/record-builder.js';

function collect() {
  const records: Uint8Array[] = [];
  const problems: FrameProblem[] = [];
  const reader = new FrameReader(
    (r) => records.push(Uint8Array.from(r)),
    (p) => problems.push(p),
  );
  return { reader, records, problems };
}

describe('FrameReader', () => {
  const stream = frames(syscallRecord(1), execRecord({ exe: '/bin/ls', argv: ['ls', '-l'] }), fileRecord({ raw: '/etc/passwd' }));

  it('yields every frame whatever the chunk boundaries', () => {
    for (const chunkSize of [1, 3, 7, 64, stream.length]) {
      const { reader, records, problems } = collect();
      for (let at = 0; at < stream.length; at += chunkSize) reader.push(stream.subarray(at, at + chunkSize));
      reader.end();
      expect(records.map((r) => r.length)).toEqual([64, records[1]?.length, records[2]?.length]);
      expect(records).toHaveLength(3);
      expect(problems).toEqual([]);
      expect(reader.bufferedBytes).toBe(0);
    }
  });

  it('reports a frame cut short when the stream ends inside it', () => {
    const { reader, records, problems } = collect();
    reader.push(stream.subarray(0, stream.length - 5));
    reader.end();
    expect(records).toHaveLength(2);
    expect(problems).toEqual([expect.objectContaining({ code: 'truncated', skippedBytes: expect.any(Number) })]);
    expect(problems[0]?.message).toMatch(/^loader stream ended inside a frame at offset \d+: \d+ of its \d+ bytes arrived$/);
  });

  it('skips garbage between frames, reports it, and finds the next frame', () => {
    const garbage = Buffer.from('this is not a frame at all, just noise \xff\xff\xff\xff', 'latin1');
    const mixed = Buffer.concat([frames(syscallRecord(2)), garbage, frames(syscallRecord(3), syscallRecord(4))]);
    for (const chunkSize of [1, 5, mixed.length]) {
      const { reader, records, problems } = collect();
      for (let at = 0; at < mixed.length; at += chunkSize) reader.push(mixed.subarray(at, at + chunkSize));
      reader.end();
      expect(records).toHaveLength(3);
      // One run of garbage is one problem however the pipe chunked it, so the counter does not depend on chunking.
      expect(problems).toEqual([
        {
          code: 'bad_length',
          message: `garbage in the loader stream: skipped ${garbage.length} bytes at offset 68: length prefix 1936287860 is outside 56..65535`,
          skippedBytes: garbage.length,
        },
      ]);
    }
  });

  it('survives a stream of pure garbage without growing or throwing', () => {
    const { reader, records, problems } = collect();
    const noise = Buffer.alloc(100_000);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 2654435761) >>> 24;
    reader.push(noise);
    expect(records).toEqual([]);
    // A run longer than any frame is reported before it ends, so endless garbage still shows.
    expect(problems).toEqual([expect.objectContaining({ code: 'bad_length', skippedBytes: 65539 })]);
    expect(reader.bufferedBytes).toBeLessThan(16);
    reader.end();
    expect(problems.reduce((n, p) => n + p.skippedBytes, 0)).toBe(noise.length);
  });
});
