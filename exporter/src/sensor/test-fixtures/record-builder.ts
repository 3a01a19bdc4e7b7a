import { ExecOffset, FileOffset, HEADER_BYTES, HeaderOffset, RecordKind, SyscallOffset, WIRE_VERSION } from '../wire.js';

/** Builds records the way the kernel and loader do, for tests that need exact bytes. */
export interface HeaderFields {
  kind: number;
  pid?: number;
  ppid?: number;
  uid?: number;
  cgroupId?: bigint;
  comm?: string;
}

export function record(fields: HeaderFields, body: Uint8Array, totalSize = HEADER_BYTES + body.length): Uint8Array {
  const bytes = new Uint8Array(totalSize);
  const view = new DataView(bytes.buffer);
  view.setUint16(HeaderOffset.size, totalSize, true);
  view.setUint8(HeaderOffset.kind, fields.kind);
  view.setUint8(HeaderOffset.version, WIRE_VERSION);
  view.setUint32(HeaderOffset.pid, fields.pid ?? 100, true);
  view.setUint32(HeaderOffset.tid, fields.pid ?? 100, true);
  view.setUint32(HeaderOffset.ppid, fields.ppid ?? 1, true);
  view.setUint32(HeaderOffset.uid, fields.uid ?? 0, true);
  view.setBigUint64(HeaderOffset.cgroupId, fields.cgroupId ?? 42n, true);
  view.setBigUint64(HeaderOffset.timeNs, 1_000_000n, true);
  bytes.set(new TextEncoder().encode((fields.comm ?? 'test').slice(0, 15)), HeaderOffset.comm);
  bytes.set(body.subarray(0, Math.max(0, totalSize - HEADER_BYTES)), HEADER_BYTES);
  return bytes;
}

/** Components leaf first, each NUL-terminated, as a dentry walk writes them. */
export function walkedPath(path: string): Uint8Array {
  const parts = path.split('/').filter((p) => p !== '').reverse();
  return new TextEncoder().encode(parts.map((p) => `${p}\0`).join(''));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function syscallRecord(nr: number, cgroupId = 42n): Uint8Array {
  const body = new Uint8Array(SyscallOffset.end - HEADER_BYTES);
  new DataView(body.buffer).setUint32(0, nr, true);
  return record({ kind: RecordKind.syscall, cgroupId }, body);
}

export function execRecord(options: { exe: string; argv: string[]; parentExe?: string; flags?: number; ldPreload?: string; cgroupId?: bigint }): Uint8Array {
  const argv = new TextEncoder().encode(options.argv.map((a) => `${a}\0`).join(''));
  const exe = walkedPath(options.exe);
  const parent = walkedPath(options.parentExe ?? '/bin/sh');
  const preload = options.ldPreload === undefined ? new Uint8Array(0) : new TextEncoder().encode(`${options.ldPreload}\0`);
  const fixed = new Uint8Array(ExecOffset.data - HEADER_BYTES);
  const view = new DataView(fixed.buffer);
  view.setUint32(ExecOffset.flags - HEADER_BYTES, options.flags ?? 0, true);
  view.setUint32(ExecOffset.argc - HEADER_BYTES, options.argv.length, true);
  view.setUint16(ExecOffset.argvLen - HEADER_BYTES, argv.length, true);
  view.setUint16(ExecOffset.exeLen - HEADER_BYTES, exe.length, true);
  view.setUint16(ExecOffset.parentExeLen - HEADER_BYTES, parent.length, true);
  view.setUint16(ExecOffset.ldPreloadLen - HEADER_BYTES, preload.length, true);
  return record({ kind: RecordKind.exec, cgroupId: options.cgroupId ?? 42n }, concat(fixed, argv, exe, parent, preload));
}

export function fileRecord(options: { raw: string; base?: string; openFlags?: number; cgroupId?: bigint }): Uint8Array {
  const base = options.base === undefined ? new Uint8Array(0) : walkedPath(options.base);
  const raw = new TextEncoder().encode(`${options.raw}\0`);
  const fixed = new Uint8Array(FileOffset.data - HEADER_BYTES);
  const view = new DataView(fixed.buffer);
  view.setUint32(FileOffset.openFlags - HEADER_BYTES, options.openFlags ?? 0, true);
  view.setUint16(FileOffset.flags - HEADER_BYTES, options.base === undefined ? 0 : 1, true);
  view.setUint16(FileOffset.rawLen - HEADER_BYTES, raw.length, true);
  view.setUint16(FileOffset.baseLen - HEADER_BYTES, base.length, true);
  view.setUint16(FileOffset.syscallNr - HEADER_BYTES, 257, true);
  return record({ kind: RecordKind.file, cgroupId: options.cgroupId ?? 42n }, concat(fixed, base, raw));
}

/** Prefixes each record with its u32 length, as the loader writes frames. */
export function frames(...records: Uint8Array[]): Buffer {
  return Buffer.concat(
    records.map((r) => {
      const prefix = Buffer.alloc(4);
      prefix.writeUInt32LE(r.length);
      return Buffer.concat([prefix, Buffer.from(r)]);
    }),
  );
}
