import { describe, expect, it } from 'vitest';
import { REDACTED, redactArgv, redactToken } from './redact-secrets.js';

describe('redactArgv', () => {
  it('hides values of secret-named options in both spellings', () => {
    expect(redactArgv(['mysql', '--password', 'hunter2', '-h', 'db'])).toEqual(['mysql', '--password', REDACTED, '-h', 'db']);
    expect(redactArgv(['app', '--api-key=abc123', '--client_secret', 's3'])).toEqual(['app', `--api-key=${REDACTED}`, '--client_secret', REDACTED]);
    expect(redactArgv(['tool', '--token', '--verbose'])).toEqual(['tool', '--token', '--verbose']);
  });

  it('hides env-style assignments and credentials in URLs', () => {
    expect(redactArgv(['env', 'DB_PASSWORD=x', 'GITHUB_TOKEN=y', 'HOME=/root'])).toEqual(['env', `DB_PASSWORD=${REDACTED}`, `GITHUB_TOKEN=${REDACTED}`, 'HOME=/root']);
    expect(redactToken('postgres://app:s3cr3t@db:5432/shop')).toBe(`postgres://app:${REDACTED}@db:5432/shop`);
  });

  it('hides values that are secrets by their form', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    expect(redactArgv(['curl', '-H', `Bearer ${jwt}`, jwt, 'AKIAIOSFODNN7EXAMPLE'])).toEqual(['curl', '-H', REDACTED, REDACTED, REDACTED]);
  });

  it('leaves ordinary arguments alone', () => {
    const argv = ['nginx', '-g', 'daemon off;', '--passive-mode', '/etc/tokens.d/readme', 'key=value'];
    expect(redactArgv(argv)).toEqual(argv);
  });
});
