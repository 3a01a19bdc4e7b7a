import { describe, expect, it } from 'vitest';
import { InvalidProfileIdError, PROFILE_ID_MAX_LENGTH, assertProfileId, isProfileId, profileId } from './profile-id.js';

const ref = (namespace: string, workloadType: string, workload: string, container: string) => ({ namespace, workloadType, workload, container });

/** Kubernetes' IsDNS1123Subdomain, written out independently of the implementation. */
function isDns1123Subdomain(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  return name.split('.').every((label) => /^[a-z0-9]$|^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(label));
}

describe('profileId', () => {
  it('reads like the workload and ends in a short hash of the identity', () => {
    const id = profileId(ref('', 'cgroup', 'system.slice/nginx.service', ''));
    expect(id).toMatch(/^cgroup-system\.slice-nginx\.service-[0-9a-f]{8}$/);
    expect(profileId(ref('shop', 'deployment', 'checkout', 'app'))).toMatch(/^shop-deployment-checkout-app-[0-9a-f]{8}$/);
  });

  it('is stable: the same identity always gives the same id', () => {
    // Pinned: ids are object names in clusters and file names on disk; changing them orphans profiles.
    // The hash is sha256 of workloadKey(), here of "/cgroup/system.slice%2Fnginx.service/" (checked with sha256sum).
    expect(profileId(ref('', 'cgroup', 'system.slice/nginx.service', ''))).toBe('cgroup-system.slice-nginx.service-61a060bd');
    expect(profileId(ref('shop', 'deployment', 'checkout', 'app'))).toBe(profileId({ container: 'app', workload: 'checkout', workloadType: 'deployment', namespace: 'shop' }));
  });

  it('gives distinct identities distinct ids even when their slugs are equal', () => {
    const similar = [
      ref('', 'cgroup', 'a/b', ''),
      ref('', 'cgroup', 'a_b', ''),
      ref('', 'cgroup', 'A/B', ''),
      ref('', 'cgroup', 'a', 'b'),
      ref('a', 'cgroup', 'b', ''),
      ref('', 'cgroup', 'a/b/', ''),
      ref('', 'cgroup', 'a//b', ''),
    ];
    const ids = similar.map(profileId);
    expect(new Set(ids).size).toBe(similar.length);
  });

  it('always yields a DNS-1123 subdomain short enough for a file name, whatever the input', () => {
    const hostile = [
      ref('', 'cgroup', '', ''),
      ref('', '', '', ''),
      ref('', 'cgroup', '../../etc/passwd', ''),
      ref('', 'cgroup', '/', ''),
      ref('', 'container', '.hidden-', '-'),
      ref('', 'cgroup', 'x'.repeat(1000), ''),
      ref('NS', 'Deployment', 'Ünïcödé wörkload', 'c\u0000d'),
      ref('', 'cgroup', 'a.-.b..c--d', ''),
      ref('', 'cgroup', `${'a'.repeat(243)}.b.c`, ''),
      ref('', 'cgroup', `${'a'.repeat(243)}-/-b`, ''),
      ref('', 'cgroup', 'user.slice/user-1000.slice/session-2.scope', ''),
    ];
    for (const r of hostile) {
      const id = profileId(r);
      expect(isDns1123Subdomain(id), `${JSON.stringify(r)} -> ${id}`).toBe(true);
      expect(id.length).toBeLessThanOrEqual(PROFILE_ID_MAX_LENGTH);
      expect(isProfileId(id)).toBe(true);
    }
    expect(profileId(ref('', 'cgroup', 'x'.repeat(1000), '')).length).toBe(PROFILE_ID_MAX_LENGTH);
    expect(profileId(ref('', '', '', ''))).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('assertProfileId', () => {
  it('refuses anything that could escape a directory or is not a name', () => {
    const cases: [string, RegExp][] = [
      ['../etc/passwd', /path separator/],
      ['/etc/passwd', /path separator/],
      ['..', /starts with a dot/],
      ['.hidden', /starts with a dot/],
      ['a\u0000b', /NUL byte/],
      ['', /empty/],
      ['a'.repeat(251), /251 characters long, the maximum is 250/],
      ['Upper', /DNS-1123 subdomain/],
      ['a..b', /DNS-1123/],
      ['a-', /DNS-1123/],
      ['a\\b', /path separator/],
    ];
    for (const [id, message] of cases) {
      expect(() => assertProfileId(id)).toThrow(InvalidProfileIdError);
      expect(() => assertProfileId(id)).toThrow(message);
    }
    expect(assertProfileId('shop-deployment-checkout-app-1a2b3c4d')).toBe('shop-deployment-checkout-app-1a2b3c4d');
    expect(isProfileId('a'.repeat(250))).toBe(true);
    expect(Buffer.byteLength(`${'a'.repeat(PROFILE_ID_MAX_LENGTH)}.yaml`)).toBeLessThanOrEqual(255);
  });
});
