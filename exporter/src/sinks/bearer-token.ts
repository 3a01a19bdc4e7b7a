import { readFile, stat } from 'node:fs/promises';
import { inspect } from 'node:util';

/** RFC 6750 b64token is a subset of this; anything else (spaces, newlines) would break the header. */
const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/;

function validated(raw: string, origin: string): string {
  const token = raw.trim();
  if (token === '') throw new Error(`bearer token from ${origin} is empty`);
  // The message names where the token came from, never what it holds.
  if (!TOKEN_CHARACTERS.test(token)) {
    throw new Error(`bearer token from ${origin} holds whitespace or non-ASCII characters inside it`);
  }
  return token;
}

/**
 * A bearer token that cannot leak by accident: printing, logging or serialising it shows only
 * where it came from. A token read from a file follows the file, so a rotated Kubernetes
 * Secret is picked up without a restart.
 */
export class BearerToken {
  #value: string;
  #fileVersion: number;

  private constructor(
    value: string,
    /** Where the token came from, e.g. `file /run/secrets/webhook-token`; safe to show. */
    readonly origin: string,
    private readonly path?: string,
    fileVersion = 0,
  ) {
    this.#value = value;
    this.#fileVersion = fileVersion;
  }

  static fromValue(raw: string, origin: string): BearerToken {
    return new BearerToken(validated(raw, origin), origin);
  }

  /** Reads and checks the file now, so a bad path fails at start with a clear message. */
  static async fromFile(path: string): Promise<BearerToken> {
    const origin = `file ${path}`;
    try {
      const [info, raw] = await Promise.all([stat(path), readFile(path, 'utf8')]);
      return new BearerToken(validated(raw, origin), origin, path, info.mtimeMs);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code) throw new Error(`cannot read bearer token ${origin}: ${code}`);
      throw error;
    }
  }

  /** The current token; re-reads the file when it changed, keeping the last good token if the new one is unusable. */
  async value(): Promise<string> {
    if (this.path === undefined) return this.#value;
    try {
      const info = await stat(this.path);
      if (info.mtimeMs !== this.#fileVersion) {
        this.#value = validated(await readFile(this.path, 'utf8'), this.origin);
        this.#fileVersion = info.mtimeMs;
      }
    } catch {
      // Mid-rotation or deleted: the last good token is the best guess, and a bad one shows up as a 401.
    }
    return this.#value;
  }

  /** Removes the token from `text` (a receiver may echo request headers in an error body). */
  redact(text: string): string {
    return text.split(this.#value).join('[redacted]');
  }

  toString(): string {
    return `[bearer token from ${this.origin}]`;
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
