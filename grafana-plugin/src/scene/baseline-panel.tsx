import { css } from '@emotion/css';
import { LoadingState } from '@grafana/data';
import { sceneGraph, SceneObjectBase, VariableDependencyConfig, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { PanelChrome } from '@grafana/ui';
import React from 'react';
import { BaselineView } from '../components/baseline/baseline-view.js';
import { useElementSize } from '../components/viz/use-element-size.js';
import { ExporterApi } from '../data/exporter-api.js';
import type { ProfileDetail } from '../data/profile-types.js';
import type { WorkloadIdentity } from '../queries/workload-matchers.js';

export interface BaselinePanelState extends SceneObjectState {
  readonly loadingState: LoadingState;
  readonly profile?: ProfileDetail;
  readonly message?: string;
  /** Variable references for the workload; interpolated, they name it. */
  readonly namespace: string;
  readonly workload: string;
  readonly workloadType: string;
  readonly container: string;
  /**
   * Whether the Config page has an exporter API URL. Without one the plugin-proxy route has no
   * target, so the panel says what to set instead of showing the proxy's error.
   */
  readonly exporterConfigured: boolean;
}

export const NO_EXPORTER_URL_MESSAGE =
  'No exporter API URL is set, so the baseline cannot be read. An admin sets it on the Configuration page (Administration → Plugins → Telltale).';

/**
 * Why a profile may be missing: the URL reaches one exporter, and each exporter of a DaemonSet
 * stores only the profiles of workloads on its own node.
 */
export function profileNotFoundMessage(id: WorkloadIdentity): string {
  const name = [id.namespace, id.workload, id.container].filter((part) => part !== '').join('/');
  return (
    `The exporter at the configured API URL has no profile for ${name} (${id.workload_type}). ` +
    "In a DaemonSet each node's exporter serves only the profiles of its own node, until the CRD profile store (coming next) merges them: " +
    'point the exporter API URL on the Configuration page at the exporter on the node where this workload runs.'
  );
}

/** The workload's learned baseline, from the exporter's Profile API via the plugin proxy. */
export class BaselinePanel extends SceneObjectBase<BaselinePanelState> {
  static Component = BaselinePanelRenderer;
  private loadCount = 0;

  protected override _variableDependency = new VariableDependencyConfig(this, {
    statePaths: ['namespace', 'workload', 'workloadType', 'container'],
    onReferencedVariableValueChanged: () => void this.load(),
    onVariableUpdateCompleted: () => void this.load(),
  });

  private readonly api = new ExporterApi();

  constructor(state: Partial<BaselinePanelState> & Pick<BaselinePanelState, 'exporterConfigured'>) {
    super({
      key: 'baseline',
      loadingState: LoadingState.NotStarted,
      namespace: '${namespace}',
      workload: '${workload}',
      workloadType: '${workload_type}',
      container: '${container}',
      ...state,
    });
    this.addActivationHandler(() => {
      void this.load();
    });
  }

  private identity(): WorkloadIdentity {
    return {
      namespace: sceneGraph.interpolate(this, this.state.namespace),
      workload: sceneGraph.interpolate(this, this.state.workload),
      workload_type: sceneGraph.interpolate(this, this.state.workloadType),
      container: sceneGraph.interpolate(this, this.state.container),
    };
  }

  private async load(): Promise<void> {
    if (sceneGraph.hasVariableDependencyInLoadingState(this)) {
      return;
    }
    const run = ++this.loadCount;
    const id = this.identity();
    if (!this.state.exporterConfigured) {
      this.setState({ loadingState: LoadingState.Done, profile: undefined, message: NO_EXPORTER_URL_MESSAGE });
      return;
    }
    if (id.workload === '') {
      this.setState({ loadingState: LoadingState.Done, profile: undefined, message: 'Select a workload.' });
      return;
    }
    this.setState({ loadingState: LoadingState.Loading });
    try {
      const summary = await this.api.findProfile(id);
      const profile = summary ? await this.api.getProfile(summary.id) : undefined;
      if (run === this.loadCount) {
        this.setState({
          loadingState: LoadingState.Done,
          profile,
          message: profile ? undefined : profileNotFoundMessage(id),
        });
      }
    } catch (error: unknown) {
      if (run === this.loadCount) {
        this.setState({
          loadingState: LoadingState.Error,
          profile: undefined,
          message: `Cannot read the profile from the exporter API (check the exporter URL on the Config page): ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
  }
}

const fill = css({ width: '100%', height: '100%', minHeight: 0 });
const message = css({ padding: 16 });

function BaselinePanelRenderer({ model }: SceneComponentProps<BaselinePanel>): React.JSX.Element {
  const { profile, loadingState, message: text } = model.useState();
  const [ref, size] = useElementSize<HTMLDivElement>();
  return (
    <div ref={ref} className={fill} data-testid="panel-baseline" data-state={loadingState}>
      {size.width > 0 && size.height > 0 && (
        <PanelChrome
          title="Baseline"
          description="The learned profile from the exporter's Profile API. Entries learned after the profile became ready are marked."
          width={size.width}
          height={size.height}
          loadingState={loadingState}
          statusMessage={loadingState === LoadingState.Error ? text : undefined}
        >
          {() => (profile ? <BaselineView profile={profile} pageSize={7} /> : <div className={message}>{text}</div>)}
        </PanelChrome>
      )}
    </div>
  );
}
