import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The built CLI, as `npm test` builds it before the tests (scripts/build.sh). */
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Every flag has a TELLTALE_* variable; the caller's must not add sinks or settings to the test's. */
const ENV = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TELLTALE_')));

function runCli(args: readonly string[]): Promise<Exit> {
  return new Promise((resolve) => {
    // The timeout only keeps a regression (a config that is accepted, so the daemon starts) from hanging the run.
    execFile(process.execPath, [CLI, ...args], { timeout: 60_000, env: ENV }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

let dir = '';
beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build -w exporter first`);
  dir = await mkdtemp(join(tmpdir(), 'telltale-run-sinks-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('telltale run --sinks-config with a bad file', () => {
  it('exits 2 before starting anything, listing every problem as file:line:col: field: message', async () => {
    const config = join(dir, 'sinks.yaml');
    await writeFile(
      config,
      `defaults:
  timeout: soon
sinks:
  - type: webhook
    url: ftp://files.example/hook
    tokenFiel: /etc/token
  - type: syslog
    url: udp://siem.example:514
    facility: local9
`,
    );
    const exit = await runCli(['run', '--sinks-config', config, '--state-dir', join(dir, 'state'), '--listen', '127.0.0.1:0']);
    expect(exit.code, exit.stderr).toBe(2);
    expect(exit.stdout).toBe('');
    // One run names the misspelled field and the bad values next to it, in file order.
    expect(exit.stderr.trimEnd().split('\n')).toEqual([
      'invalid sink configuration:',
      `  ${config}:2:12: defaults.timeout: "soon" is not a duration; write e.g. 250ms, 5s, 5m or 1h30m`,
      `  ${config}:5:10: sinks[0].url: must be an http:// or https:// URL, not ftp:`,
      `  ${config}:6:5: sinks[0].tokenFiel: unknown field`,
      `  ${config}:9:15: sinks[1].facility: "local9" is not a facility; use one of kern, user, mail, daemon, auth, syslog, lpr, news, uucp, cron, authpriv, ftp, ntp, security, console, clock, local0, local1, local2, local3, local4, local5, local6, local7`,
    ]);
    // Nothing was started: no state directory was created for profiles.
    expect(existsSync(join(dir, 'state', 'profiles'))).toBe(false);
  });

  it('exits 2 with the line and column of a YAML syntax error', async () => {
    const config = join(dir, 'syntax.yaml');
    await writeFile(config, 'sinks:\n  - type: webhook\n    url: http://a\n    url: http://b\n');
    const exit = await runCli(['run', '--sinks-config', config, '--state-dir', join(dir, 'state'), '--listen', '127.0.0.1:0']);
    expect(exit.code, exit.stderr).toBe(2);
    expect(exit.stderr).toMatch(new RegExp(`^invalid sink configuration: ${config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:5: not valid YAML: Map keys must be unique`));
  });
});
