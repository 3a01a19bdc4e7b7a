// @vitest-environment jsdom
import { PluginType, type AppPluginMeta } from '@grafana/data';
import { setDataSourceSrv } from '@grafana/runtime';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDataSourceSrv, prometheusInstanceSettings } from '../../../../test/browser/harness/datasource-srv.js';
import type { AppJsonData } from '../../app-settings.js';
import { AppConfig, type AppConfigProps } from './app-config.js';

function props(jsonData: AppJsonData): AppConfigProps {
  const meta: AppPluginMeta<AppJsonData> = {
    id: 'telltale-detector-app',
    name: 'Telltale',
    type: PluginType.app,
    module: '',
    baseUrl: '',
    enabled: true,
    jsonData,
    info: { author: { name: 'Telltale' }, description: '', links: [], logos: { small: '', large: '' }, screenshots: [], updated: '', version: '' },
  };
  // The page only reads plugin.meta; the rest of AppPlugin is Grafana's business.
  return { plugin: { meta } as AppConfigProps['plugin'], query: {} };
}

beforeAll(() => {
  // Grafana's data source service, listing one Prometheus, as the picker sees it.
  setDataSourceSrv(createDataSourceSrv([prometheusInstanceSettings('prom-1', 'Cluster Prometheus')]));
});

describe('AppConfig', () => {
  it('shows the saved data source, exporter URL and threshold', async () => {
    render(<AppConfig {...props({ datasourceUid: 'prom-1', exporterUrl: 'http://telltale:9310', alertThreshold: 0.85 })} />);
    expect(await screen.findByText('Cluster Prometheus')).toBeInTheDocument();
    expect(screen.getByLabelText(/^Exporter API URL/)).toHaveValue('http://telltale:9310');
    expect(screen.getByLabelText(/^Alert threshold/)).toHaveValue('0.85');
    expect(screen.getByRole('button', { name: 'Save settings' })).toBeEnabled();
    expect(screen.getByRole('button', { name: 'Test exporter API' })).toBeEnabled();
  });

  it('defaults the threshold to 0.9 and cannot save or test before an exporter URL is set', () => {
    render(<AppConfig {...props({ datasourceUid: 'prom-1' })} />);
    expect(screen.getByLabelText(/^Alert threshold/)).toHaveValue('0.9');
    expect(screen.getByRole('button', { name: 'Save settings' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Test exporter API' })).toBeDisabled();
  });

  it('explains bad input and refuses to save it', async () => {
    render(<AppConfig {...props({ datasourceUid: 'prom-1', exporterUrl: 'http://telltale:9310' })} />);
    const url = screen.getByLabelText(/^Exporter API URL/);
    await userEvent.clear(url);
    await userEvent.type(url, 'ftp://telltale');
    expect(screen.getByText('Exporter URL must use http or https, got "ftp:"')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save settings' })).toBeDisabled();
    await userEvent.clear(url);
    await userEvent.type(url, 'http://telltale:9310');
    const threshold = screen.getByLabelText(/^Alert threshold/);
    await userEvent.clear(threshold);
    await userEvent.type(threshold, '2');
    expect(screen.getByText('Alert threshold must be above 0 and at most 1, got 2')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  });
});
