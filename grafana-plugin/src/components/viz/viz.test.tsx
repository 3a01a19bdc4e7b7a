// @vitest-environment jsdom
import { dateTime, LoadingState, type PanelData } from '@grafana/data';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import { instantSamplesToFrames } from '../../data/prom-frames.js';
import type { PanelSpec, TableSpec } from '../../panels/panel-spec.js';
import { BarListViz } from './bar-list-viz.js';
import { PanelViz } from './panel-viz.js';
import { fillTiles, StatViz } from './stat-viz.js';
import { filterRows, tableRows } from './table-rows.js';
import { TableViz } from './table-viz.js';

const timeRange = { from: dateTime(1_800_000_000_000), to: dateTime(1_800_007_200_000), raw: { from: 'now-2h', to: 'now' } };

const table: TableSpec = {
  kind: 'table',
  filterable: true,
  emptyText: 'Nothing here.',
  rowKinds: { rules: 'rule hit', anomalies: 'anomaly' },
  columns: [
    { id: 'time', header: 'Last seen', source: { value: 'timestamp' }, render: 'relative-time' },
    { id: 'kind', header: 'Kind', source: { rowKind: true } },
    { id: 'severity', header: 'Severity', source: { label: 'severity' }, render: 'severity' },
    { id: 'what', header: 'Rule / category', source: { labels: ['rule', 'category'] } },
    { id: 'item', header: 'Item', source: { label: 'item' }, render: 'code' },
    { id: 'workload', header: 'Workload', source: { label: 'workload' }, render: 'workload-link' },
  ],
};

const frames = [
  ...instantSamplesToFrames(
    [{ labels: { workload: 'system.slice/nginx.service', workload_type: 'cgroup', rule: 'reverse-shell', severity: 'critical', item: '/bin/sh' }, time: 0, value: 1_800_000_100 }],
    { refId: 'rules' },
  ),
  ...instantSamplesToFrames(
    [
      { labels: { workload: 'redis', workload_type: 'container', container: 'redis', category: 'exec', item: '/tmp/redis-check' }, time: 0, value: 1_800_000_300 },
      { labels: { namespace: 'shop', workload: 'frontend', workload_type: 'deployment', container: 'web', category: 'dns', item: 'cdn.example.net' }, time: 0, value: 1_800_000_200 },
    ],
    { refId: 'anomalies' },
  ),
];

describe('tableRows', () => {
  it('makes a row per series, newest first, with the row kind and the first label present', () => {
    const rows = tableRows(frames, table);
    expect(rows.map((r) => [r.cells['kind'], r.cells['what'], r.cells['time']])).toEqual([
      ['anomaly', 'exec', 1_800_000_300_000],
      ['anomaly', 'dns', 1_800_000_200_000],
      ['rule hit', 'reverse-shell', 1_800_000_100_000],
    ]);
  });
  it('filters on every word across cells', () => {
    const rows = tableRows(frames, table);
    expect(filterRows(rows, 'anomaly redis').map((r) => r.cells['workload'])).toEqual(['redis']);
    expect(filterRows(rows, '  ')).toHaveLength(3);
  });
});

describe('TableViz', () => {
  it('links each workload to its Workload page and filters by text', async () => {
    render(
      <MemoryRouter>
        <TableViz frames={frames} spec={table} timeRange={timeRange} height={500} />
      </MemoryRouter>,
    );
    expect(screen.getByText('3 of 3')).toBeInTheDocument();
    const link = screen.getByRole('link', { name: 'system.slice/nginx.service' });
    const href = new URL(link.getAttribute('href') ?? '', 'http://grafana');
    expect(href.pathname).toBe('/a/telltale-detector-app/workload');
    expect(href.searchParams.get('var-workload')).toBe('system.slice/nginx.service');
    expect(href.searchParams.get('var-workload_type')).toBe('cgroup');
    expect(href.searchParams.get('from')).toBe('1800000000000');
    expect(screen.getByText('critical')).toBeInTheDocument();
    await userEvent.type(screen.getByPlaceholderText('Filter by rule, item, workload…'), 'frontend');
    expect(screen.getByText('1 of 3')).toBeInTheDocument();
    expect(screen.queryByText('redis')).not.toBeInTheDocument();
    await userEvent.clear(screen.getByPlaceholderText('Filter by rule, item, workload…'));
    await userEvent.type(screen.getByPlaceholderText('Filter by rule, item, workload…'), 'zzz');
    expect(screen.getByText('Nothing matches "zzz".')).toBeInTheDocument();
  });

  it('shows the empty text when there are no rows', () => {
    render(<TableViz frames={[]} spec={table} timeRange={timeRange} height={300} />);
    expect(screen.getByText('Nothing here.')).toBeInTheDocument();
  });
});

describe('StatViz', () => {
  const states = instantSamplesToFrames(
    [
      { labels: { state: 'ready' }, time: 0, value: 3 },
      { labels: { state: 'learning' }, time: 0, value: 2 },
    ],
    { refId: 'A', legendFormat: '{{state}}' },
  );

  it('gives every expected tile a frame, in order, 0 where there is no series', () => {
    expect(fillTiles(states, { label: 'state', values: ['learning', 'ready', 'locked'] }).map((f) => [f.name, f.fields.at(-1)?.values[0]])).toEqual([
      ['learning', 2],
      ['ready', 3],
      ['locked', 0],
    ]);
  });

  it('renders one value per tile with its name', () => {
    const { container } = render(
      <StatViz frames={states} spec={{ kind: 'stat', tiles: { label: 'state', values: ['learning', 'ready', 'locked'] } }} width={600} height={100} alertThreshold={0.9} />,
    );
    expect(container.textContent).toBe('learning2ready3locked0');
  });

  it('maps values to text', () => {
    const frame = instantSamplesToFrames([{ labels: {}, time: 0, value: 1 }], { refId: 'A', legendFormat: 'suppressed' });
    const { container } = render(<StatViz frames={frame} spec={{ kind: 'stat', valueText: { '0': 'no', '1': 'yes' } }} width={200} height={100} alertThreshold={0.9} />);
    expect(container.textContent).toBe('yes');
  });
});

describe('BarListViz', () => {
  it('lists series largest first with their values', () => {
    const counts = instantSamplesToFrames(
      [
        { labels: { rule: 'crypto-miner', severity: 'critical' }, time: 0, value: 1 },
        { labels: { rule: 'reverse-shell', severity: 'critical' }, time: 0, value: 2 },
      ],
      { refId: 'A', legendFormat: '{{rule}} · {{severity}}' },
    );
    const { container } = render(
      <BarListViz frames={counts} spec={{ kind: 'bar-list', min: 0, colorBy: { label: 'severity', colors: { critical: 'red' } } }} width={700} height={200} />,
    );
    expect(container.textContent).toBe('reverse-shell · critical2crypto-miner · critical1');
  });
});

describe('PanelViz', () => {
  const spec: PanelSpec = { key: 'k', title: 'T', queries: [], viz: { kind: 'bar-list' } };
  const data = (state: LoadingState, extra: Partial<PanelData> = {}): PanelData => ({ state, series: [], timeRange, ...extra });

  it('says plainly when a query returned nothing', () => {
    render(<PanelViz spec={spec} data={data(LoadingState.Done)} width={300} height={200} alertThreshold={0.9} />);
    expect(screen.getByText('No data')).toBeInTheDocument();
  });

  it('shows the query error', () => {
    render(<PanelViz spec={spec} data={data(LoadingState.Error, { errors: [{ message: 'GET /api/… failed: 400 Bad Request: parse error' }] })} width={300} height={200} alertThreshold={0.9} />);
    expect(screen.getByText('GET /api/… failed: 400 Bad Request: parse error')).toBeInTheDocument();
  });
});
