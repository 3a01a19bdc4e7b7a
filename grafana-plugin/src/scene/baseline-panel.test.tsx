// @vitest-environment jsdom
import type { BackendSrv } from '@grafana/runtime';
import { setBackendSrv } from '@grafana/runtime';
import { ConstantVariable, EmbeddedScene, SceneFlexItem, SceneFlexLayout, SceneVariableSet } from '@grafana/scenes';
import { render, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBackendSrv } from '../../../test/browser/harness/backend-srv.js';
import { profileFixture, startProfileApiServer, type ProfileApiServer, type ProfileApiServerOptions } from '../../test/profile-api-server.js';
import { EXPORTER_PROXY_BASE } from '../constants.js';
import type { WorkloadIdentity } from '../queries/workload-matchers.js';
import { BaselinePanel } from './baseline-panel.js';

/**
 * The panel as the Workload page has it: inside a scene whose variables name the workload,
 * reading the Profile API at Grafana's plugin-proxy path. Grafana would serve that path on its
 * own origin; here a local HTTP server does, and the backend service sends relative URLs there.
 */
function backendSrvFor(origin: string): BackendSrv {
  const inner = createBackendSrv();
  return { ...inner, fetch: (options) => inner.fetch({ ...options, url: new URL(options.url, origin).toString() }) };
}

const REDIS: WorkloadIdentity = { namespace: '', workload: 'redis', workload_type: 'container', container: 'redis' };

function renderPanel(id: WorkloadIdentity, exporterConfigured: boolean): BaselinePanel {
  const panel = new BaselinePanel({ exporterConfigured });
  const scene = new EmbeddedScene({
    $variables: new SceneVariableSet({
      variables: [
        new ConstantVariable({ name: 'namespace', value: id.namespace }),
        new ConstantVariable({ name: 'workload', value: id.workload }),
        new ConstantVariable({ name: 'workload_type', value: id.workload_type }),
        new ConstantVariable({ name: 'container', value: id.container }),
      ],
    }),
    body: new SceneFlexLayout({ children: [new SceneFlexItem({ body: panel })] }),
  });
  render(<scene.Component model={scene} />);
  return panel;
}

// jsdom lays nothing out, and the panel draws only once it has a size.
const sizes = ['clientWidth', 'clientHeight'] as const;
const originals = sizes.map((name) => Object.getOwnPropertyDescriptor(HTMLElement.prototype, name));
beforeAll(() => {
  for (const name of sizes) Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => (name === 'clientWidth' ? 1200 : 560) });
});
afterAll(() => {
  sizes.forEach((name, i) => {
    const original = originals[i];
    if (original) Object.defineProperty(HTMLElement.prototype, name, original);
  });
});

let server: ProfileApiServer | undefined;
async function serve(options: Omit<ProfileApiServerOptions, 'prefix'>): Promise<ProfileApiServer> {
  server = await startProfileApiServer({ prefix: EXPORTER_PROXY_BASE, ...options });
  setBackendSrv(backendSrvFor(server.origin));
  return server;
}
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('BaselinePanel', () => {
  it("shows the workload's baseline from the Profile API", async () => {
    await serve({ profiles: [profileFixture({ namespace: '', workload: 'redis', workloadType: 'container', container: 'redis' }, 'container-redis-redis')] });
    renderPanel(REDIS, true);
    expect(await screen.findByText('/usr/bin/redis-cli')).toBeInTheDocument();
    expect(screen.getByTestId('baseline-summary')).toHaveTextContent('container-redis-redis');
    expect(screen.getByTestId('panel-baseline')).toHaveAttribute('data-state', 'Done');
  });

  it('explains a missing profile: this exporter may be on another node', async () => {
    const api = await serve({ profiles: [profileFixture({ namespace: 'shop', workload: 'frontend', workloadType: 'deployment', container: 'web' }, 'deployment-shop-frontend-web')] });
    renderPanel(REDIS, true);
    const text = await screen.findByText(/has no profile for redis\/redis \(container\)/);
    expect(text).toHaveTextContent("In a DaemonSet each node's exporter serves only the profiles of its own node");
    expect(text).toHaveTextContent('CRD profile store (coming next)');
    expect(text).toHaveTextContent('point the exporter API URL on the Configuration page at the exporter on the node where this workload runs');
    expect(screen.getByTestId('panel-baseline')).toHaveAttribute('data-state', 'Done');
    expect(api.requests.map((u) => u.pathname)).toEqual([`${EXPORTER_PROXY_BASE}/api/v1/profiles`]);
  });

  it("shows the API's error and where to fix the URL", async () => {
    // What Grafana's plugin proxy answers when the route's target does not answer.
    await serve({ profiles: [], failWith: { status: 502, body: { message: 'Bad Gateway: dial tcp 10.0.0.5:9310: connect: connection refused' } } });
    renderPanel(REDIS, true);
    const text = await screen.findByText(/Cannot read the profile from the exporter API/);
    expect(text).toHaveTextContent('check the exporter URL on the Config page');
    expect(text).toHaveTextContent('502 Bad Gateway: Bad Gateway: dial tcp 10.0.0.5:9310: connect: connection refused');
    expect(screen.getByTestId('panel-baseline')).toHaveAttribute('data-state', 'Error');
  });

  it('asks for the exporter API URL, without a request, when none is set', async () => {
    const api = await serve({ profiles: [] });
    renderPanel(REDIS, false);
    expect(await screen.findByText(/No exporter API URL is set/)).toHaveTextContent('Configuration page (Administration → Plugins → Telltale)');
    expect(api.requests).toEqual([]);
  });

  it('asks for a workload when none is selected', async () => {
    const api = await serve({ profiles: [] });
    renderPanel({ ...REDIS, workload: '' }, true);
    expect(await screen.findByText('Select a workload.')).toBeInTheDocument();
    expect(api.requests).toEqual([]);
  });
});
