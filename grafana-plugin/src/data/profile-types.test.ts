import { describe, expect, it } from 'vitest';
import { parseProfileDetail, parseProfilePage } from './profile-types.js';

const summary = {
  id: 'cgroup-telltale-e2e.demo-1b2c3d4e',
  namespace: '',
  workload: 'telltale-e2e/demo',
  workloadType: 'cgroup',
  container: '',
  state: 'ready',
  learningProgress: 1,
  learningStartedAt: '2026-11-28T10:00:00.000Z',
  readyAt: '2026-11-28T10:20:00.000Z',
  updatedAt: '2026-11-28T10:31:00.000Z',
  previousVersion: null,
  entryCounts: { exec: 4, file: 12, syscall: 41, syscall_sequence: 310, network: 1, dns: 1, capability: 2 },
};

describe('parseProfilePage', () => {
  it('reads the README example', () => {
    const page = parseProfilePage({ items: [summary], total: 1, limit: 50, offset: 0 });
    expect(page.total).toBe(1);
    expect(page.items[0]?.entryCounts.syscall_sequence).toBe(310);
  });
  it('names the field that is wrong', () => {
    expect(() => parseProfilePage({ items: [{ ...summary, state: 3 }], total: 1, limit: 50, offset: 0 })).toThrow(
      'GET /api/v1/profiles items[0].state: expected a string, got 3',
    );
    expect(() => parseProfilePage({ total: 1 })).toThrow('"items" is not a list');
  });
});

describe('parseProfileDetail', () => {
  it('reads entries for every category, missing ones as empty, and recent anomalies', () => {
    const detail = parseProfileDetail({
      ...summary,
      entries: {
        exec: [{ value: '/usr/bin/curl', detail: 'curl -s *', firstSeen: '2026-11-28T10:01:00.000Z', lastSeen: '2026-11-28T10:30:00.000Z', count: 7, addedAfterReady: false }],
      },
      recentAnomalies: [{ category: 'exec', item: '/usr/bin/nc', timestamp: '2026-11-28T10:31:00.000Z' }],
    });
    expect(detail.entries.exec[0]).toMatchObject({ value: '/usr/bin/curl', count: 7, addedAfterReady: false });
    expect(detail.entries.dns).toEqual([]);
    expect(detail.recentAnomalies).toHaveLength(1);
  });
  it('rejects entries that are not lists', () => {
    expect(() => parseProfileDetail({ ...summary, entries: { exec: 'x' } })).toThrow('entries.exec is not a list');
  });
});
