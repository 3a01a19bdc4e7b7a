import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BearerToken } from './bearer-token.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'telltale-token-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('BearerToken', () => {
  it('never shows its value when printed, logged or serialised', () => {
    const token = BearerToken.fromValue('s3cr3t-value', 'env TELLTALE_SINK_WEBHOOK_TOKEN');
    const shown = [String(token), `${token}`, JSON.stringify({ token }), inspect(token), inspect({ nested: { token } })];
    for (const text of shown) {
      expect(text).not.toContain('s3cr3t');
      expect(text).toContain('env TELLTALE_SINK_WEBHOOK_TOKEN');
    }
    expect(token.redact('header was Bearer s3cr3t-value, twice s3cr3t-value')).toBe(
      'header was Bearer [redacted], twice [redacted]',
    );
  });

  it('trims a trailing newline and rejects empty or multi-word tokens without echoing them', () => {
    expect(() => BearerToken.fromValue(' \n', 'env X')).toThrow('bearer token from env X is empty');
    let message = '';
    try {
      BearerToken.fromValue('abc def-secret', 'env X');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/whitespace/);
    expect(message).not.toContain('secret');
  });

  it('reads a file, follows its changes, and keeps the last good token if it breaks', async () => {
    const path = join(dir, 'token');
    await writeFile(path, 'first-token\n');
    const token = await BearerToken.fromFile(path);
    expect(await token.value()).toBe('first-token');
    expect(token.origin).toBe(`file ${path}`);

    await writeFile(path, 'second-token\n');
    await utimes(path, new Date(), new Date(Date.now() + 5_000));
    expect(await token.value()).toBe('second-token');

    await writeFile(path, '');
    await utimes(path, new Date(), new Date(Date.now() + 10_000));
    expect(await token.value()).toBe('second-token');
  });

  it('names the file and the error code when the file cannot be read', async () => {
    const missing = join(dir, 'missing');
    await expect(BearerToken.fromFile(missing)).rejects.toThrow(`cannot read bearer token file ${missing}: ENOENT`);
    await writeFile(join(dir, 'empty'), '\n');
    await expect(BearerToken.fromFile(join(dir, 'empty'))).rejects.toThrow(/is empty/);
  });
});
