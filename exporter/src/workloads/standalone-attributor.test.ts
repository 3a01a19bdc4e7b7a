import { describe, expect, it } from 'vitest';
import { workloadForCgroupPath } from './standalone-attributor.js';

const id = '0123456789abcdef'.repeat(4);

describe('workloadForCgroupPath', () => {
  it('names plain cgroups by their path and leaves namespace and container empty', () => {
    expect(workloadForCgroupPath('/system.slice/nginx.service', () => null)).toEqual({
      namespace: '',
      workload: 'system.slice/nginx.service',
      workloadType: 'cgroup',
      container: '',
    });
    expect(workloadForCgroupPath('/', () => null).workload).toBe('/');
  });

  it('names containers by the runtime name, or the short id', () => {
    expect(workloadForCgroupPath(`/libpod_parent/libpod-${id}`, () => ({ name: 'web', image: 'sha256:9' }))).toEqual({
      namespace: '',
      workload: 'web',
      workloadType: 'container',
      container: '',
      version: 'sha256:9',
    });
    expect(workloadForCgroupPath(`/docker/${id}`, () => null)).toMatchObject({ workload: id.slice(0, 12), workloadType: 'container' });
  });
});
