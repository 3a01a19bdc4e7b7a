import { describe, expect, it } from 'vitest';
import { findCgroup2Mount, findCgroup2MountOfThisProcess } from './cgroup-root.js';

const hybrid = `25 30 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
35 25 0:30 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
36 35 0:31 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate
37 35 0:32 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd`;

describe('findCgroup2Mount', () => {
  it('finds the unified hierarchy on a hybrid host', () => {
    expect(findCgroup2Mount(hybrid)).toBe('/sys/fs/cgroup/unified');
  });

  it('decodes escaped mount points and ignores optional fields', () => {
    expect(findCgroup2Mount('40 1 0:40 / /mnt/my\\040cgroups rw shared:1 master:2 - cgroup2 none rw')).toBe('/mnt/my cgroups');
  });

  it('returns null without a cgroup2 mount', () => {
    expect(findCgroup2Mount(hybrid.split('\n').filter((l) => !l.includes('cgroup2')).join('\n'))).toBeNull();
  });

  it('finds the mount on this machine', () => {
    expect(findCgroup2MountOfThisProcess()).toMatch(/^\/sys\/fs\/cgroup/);
  });
});
