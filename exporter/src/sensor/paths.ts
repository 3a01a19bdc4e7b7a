import { posix } from 'node:path';

/**
 * Turns a path walked in the kernel (components leaf first, each NUL-terminated)
 * into an absolute path. An empty walk is the root.
 */
export function pathFromComponents(bytes: Uint8Array): string {
  const parts = splitNulTerminated(bytes).filter((part) => part !== '');
  return '/' + parts.reverse().join('/');
}

/** Splits NUL-terminated strings; a missing final NUL still yields the last string. */
export function splitNulTerminated(bytes: Uint8Array): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0) {
      out.push(decodeUtf8(bytes.subarray(start, i)));
      start = i + 1;
    }
  }
  if (start < bytes.length) out.push(decodeUtf8(bytes.subarray(start)));
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

export function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/** Reads a NUL-terminated string from a fixed-size field. */
export function fixedString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return decodeUtf8(end === -1 ? bytes : bytes.subarray(0, end));
}

/**
 * The absolute, lexically normalized path an open refers to: "." and ".." and
 * repeated slashes are folded without consulting the filesystem, so a symlinked
 * directory followed by ".." resolves differently than the kernel would. That is
 * the price of deciding in user space, after the fact.
 */
export function resolveOpenPath(base: string | null, raw: string): string {
  if (raw.startsWith('/')) return posix.normalize(raw).replace(/(.)\/$/, '$1');
  return posix.resolve(base ?? '/', raw);
}
