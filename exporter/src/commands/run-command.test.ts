import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../config/cli-flag.js';
import { coreRunConfig } from '../config/run-config.js';
import { profileRunConfig } from '../config/profile-run-config.js';
import { RUN_FLAGS, runHelp } from './run-command.js';

describe('telltale run flags', () => {
  it('are documented in --help and in the README', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const help = runHelp();
    for (const flag of RUN_FLAGS) {
      expect(help, flag.name).toContain(`--${flag.name}`);
      expect(help, flag.env).toContain(flag.env);
      expect(readme, flag.name).toMatch(new RegExp(`--${flag.name}\\b`));
    }
  });

  it('take defaults, then environment variables, then flags', () => {
    const { values } = parseFlags('run', ['--learning-period', '30m'], RUN_FLAGS, { TELLTALE_NGRAM: '4', TELLTALE_LEARNING_PERIOD: '2h' });
    const core = coreRunConfig(values);
    expect(core).toMatchObject({ learningPeriodMs: 30 * 60_000, ngramLength: 4, stateDir: '/var/lib/telltale', listen: { host: '0.0.0.0', port: 9310 } });
    expect(profileRunConfig(values, core.learningPeriodMs)).toMatchObject({
      epochIntervalMs: 14_063, // 30 min / 128
      saveIntervalMs: 15_000,
      stableAfterMs: 4 * 3600_000,
      generalization: { maxEntries: 40_000, pathFanout: 50, pathFanoutOverrides: { '/etc': 100 } },
    });
    // 24 h: 11.25 min epochs, 120 calibration windows after the 8-epoch warm-up.
    expect(profileRunConfig(values, 24 * 3600_000).epochIntervalMs).toBe(675_000);
    const tuned = parseFlags('run', ['--path-fanout-override', '/var/cache/=500', '--profile-budget', '1000'], RUN_FLAGS, {}).values;
    expect(profileRunConfig(tuned, 3600_000).generalization).toMatchObject({ maxEntries: 1000, pathFanoutOverrides: { '/var/cache': 500 } });
    expect(profileRunConfig(values, 3600_000).generalization).toMatchObject({ maxArgvTokens: 32, maxStringLength: 512, peerCidrBitsV4: 24, peerCidrBitsV6: 64 });
    const limits = parseFlags('run', ['--argv-tokens', '8', '--max-string-length', '128', '--peer-cidr-v4', '16', '--peer-cidr-v6', '48'], RUN_FLAGS, {}).values;
    expect(profileRunConfig(limits, 3600_000).generalization).toMatchObject({ maxArgvTokens: 8, maxStringLength: 128, peerCidrBitsV4: 16, peerCidrBitsV6: 48 });
    const wide = parseFlags('run', ['--peer-cidr-v4', '33'], RUN_FLAGS, {}).values;
    expect(() => profileRunConfig(wide, 3600_000)).toThrow(/peer-cidr-v4/);
  });

  it('name the flag and the value in every error', () => {
    const bad = (argv: string[]) => () => {
      const { values } = parseFlags('run', argv, RUN_FLAGS, {});
      const core = coreRunConfig(values);
      profileRunConfig(values, core.learningPeriodMs);
    };
    expect(bad(['--learning-period', 'soon'])).toThrow(/--learning-period "soon": expected a duration/);
    expect(bad(['--ngram', '1'])).toThrow(/--ngram 1/);
    expect(bad(['--ringbuf-bytes', '100000'])).toThrow(/--ringbuf-bytes 100000: must be a power of two/);
    expect(bad(['--learning-period-override', 'x'])).toThrow(/expected GLOB=DURATION/);
    expect(bad(['--finding-threshold', '2'])).toThrow(/--finding-threshold "2"/);
    expect(bad(['--listen', 'nope'])).toThrow(/--listen "nope"/);
    expect(bad(['--path-fanout-override', 'etc=5'])).toThrow(/expected an absolute DIR=N/);
    expect(bad(['--profile-budget', '5'])).toThrow(/--profile-budget "5": expected a whole number from 100/);
    expect(bad(['--bogus'])).toThrow(/Unknown option '--bogus'/);
  });
});
