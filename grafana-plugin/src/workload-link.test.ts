// @vitest-environment jsdom
import { dateTime } from '@grafana/data';
import { describe, expect, it } from 'vitest';
import { workloadIdentityOf, workloadPageUrl } from './workload-link.js';

describe('workloadPageUrl', () => {
  it('carries all four labels as page variables, empty ones included, and the time range', () => {
    const url = workloadPageUrl(
      { namespace: '', workload: 'system.slice/nginx.service', workload_type: 'cgroup', container: '' },
      { from: dateTime(1000), to: dateTime(2000), raw: { from: 'now-1h', to: 'now' } },
    );
    const parsed = new URL(url, 'http://grafana');
    expect(parsed.pathname).toBe('/a/telltale-detector-app/workload');
    expect(parsed.searchParams.get('var-namespace')).toBe('');
    expect(parsed.searchParams.get('var-workload')).toBe('system.slice/nginx.service');
    expect(parsed.searchParams.get('var-workload_type')).toBe('cgroup');
    expect(parsed.searchParams.get('from')).toBe('1000');
    expect(parsed.searchParams.get('to')).toBe('2000');
  });
  it('reads absent labels as empty', () => {
    expect(workloadIdentityOf({ workload: 'redis', container: 'redis' })).toEqual({ namespace: '', workload: 'redis', workload_type: '', container: 'redis' });
  });
});
