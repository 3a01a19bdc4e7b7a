// @vitest-environment jsdom
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ProfileDetail, ProfileEntry } from '../../data/profile-types.js';
import { BaselineView } from './baseline-view.js';

function entry(value: string, addedAfterReady = false): ProfileEntry {
  return { value, detail: `${value} detail`, firstSeen: '2026-11-28T10:00:00.000Z', lastSeen: '2026-11-28T10:30:00.000Z', count: 3, addedAfterReady };
}

const profile: ProfileDetail = {
  id: 'cgroup-demo-1',
  namespace: '',
  workload: 'system.slice/demo.service',
  workloadType: 'cgroup',
  container: '',
  state: 'ready',
  learningProgress: 1,
  learningStartedAt: '2026-11-28T09:00:00.000Z',
  readyAt: '2026-11-28T09:30:00.000Z',
  updatedAt: '2026-11-28T10:30:00.000Z',
  previousVersion: null,
  entryCounts: { exec: 2, file: 3 },
  entries: {
    exec: [entry('/usr/bin/curl'), entry('/bin/sh')],
    file: [entry('/etc/passwd'), entry('/var/log/new.log', true), entry('/etc/hosts')],
    syscall: [],
    syscall_sequence: [],
    network: [],
    dns: [],
    capability: [],
  },
  recentAnomalies: [],
};

describe('BaselineView', () => {
  it('opens on the category that changed since ready and marks those entries', () => {
    render(<BaselineView profile={profile} />);
    expect(screen.getByTestId('baseline-tab-file')).toHaveAttribute('aria-selected', 'true');
    const rows = screen.getAllByRole('row').slice(1);
    // New-since-ready entries come first.
    expect(within(rows[0] as HTMLElement).getByText('/var/log/new.log')).toBeInTheDocument();
    expect(within(rows[0] as HTMLElement).getByText('new since ready')).toBeInTheDocument();
    expect(screen.getAllByText('new since ready')).toHaveLength(1);
    expect(screen.getByText('/etc/hosts')).toBeInTheDocument();
  });

  it('shows entry counts on the tabs and switches category', async () => {
    render(<BaselineView profile={profile} />);
    const execTab = screen.getByTestId('baseline-tab-exec');
    expect(execTab).toHaveTextContent('Executables');
    expect(execTab).toHaveTextContent('2');
    await userEvent.click(execTab);
    expect(screen.getByText('/usr/bin/curl')).toBeInTheDocument();
    expect(screen.queryByText('/etc/passwd')).not.toBeInTheDocument();
  });

  it('filters to the entries learned after ready', async () => {
    render(<BaselineView profile={profile} />);
    await userEvent.click(screen.getByLabelText('Only new since ready (1)'));
    expect(screen.getByText('/var/log/new.log')).toBeInTheDocument();
    expect(screen.queryByText('/etc/passwd')).not.toBeInTheDocument();
  });

  it('says so when a category is empty', async () => {
    render(<BaselineView profile={profile} />);
    await userEvent.click(screen.getByTestId('baseline-tab-dns'));
    expect(screen.getByText('No dns names in this profile.')).toBeInTheDocument();
  });

  it('summarises the profile state and id', () => {
    render(<BaselineView profile={profile} />);
    const summary = screen.getByTestId('baseline-summary');
    expect(summary).toHaveTextContent('ready');
    expect(summary).toHaveTextContent('cgroup-demo-1');
  });
});
