import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeTokenFixtures } from '../eval/test-fixtures/synthetic-traces.js';
import { evalCommand } from './eval-command.js';

let dir: string;
let out: string;
let err: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'telltale-eval-cmd-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
function capture(): void {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
}
afterEach(() => {
  vi.restoreAllMocks();
});

describe('telltale eval', () => {
  it('prints help', async () => {
    capture();
    expect(await evalCommand(['--help'])).toBe(0);
    expect(out).toMatch(/--train DIR/);
    expect(out).toMatch(/pid-tokens/);
  });

  it('prints the report as JSON', async () => {
    const fixtures = await writeTokenFixtures(join(dir, 'set'), 120, 20, 8);
    capture();
    const code = await evalCommand(['--train', fixtures.normal, '--normal', fixtures.normal, '--attack', fixtures.attack, '--seed', '3', '--ngram', '5']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(out) as Record<string, unknown>;
    expect(report).toMatchObject({ format: 'tokens', ngram: 5, seed: 3, threshold: { score: 0.9, targetFalseAlarmRate: 0.01 } });
    expect(Object.keys(report.detectionAtFalseAlarmRate as object)).toEqual(['0.01', '0.05', '0.1']);
    expect(report.auc).toBeGreaterThan(0.9);
  });

  it.each([
    [['--normal', 'x', '--attack', 'y'], 2, /--train DIR is required/],
    [['--train', 'a', '--normal', 'b', '--attack', 'c', '--format', 'csv'], 2, /--format must be one of tokens, pid-tokens, got "csv"/],
    [['--train', 'a', '--normal', 'b', '--attack', 'c', '--ngram', '9'], 2, /--ngram must be an integer in 2\.\.7/],
    [['--train', 'a', '--normal', 'b', '--attack', 'c', '--seed', '1.5'], 2, /--seed must be a non-negative integer/],
    [['--bogus'], 2, /Unknown option '--bogus'/],
    [['--train', '/nonexistent/telltale', '--normal', '/tmp', '--attack', '/tmp'], 1, /trace directory does not exist: \/nonexistent\/telltale/],
  ])('rejects %j with exit %i', async (args, code, message) => {
    capture();
    expect(await evalCommand(args)).toBe(code);
    expect(err).toMatch(message);
  });
});
