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

  constructor(state: Partial<BaselinePanelState> = {}) {
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
          message: profile ? undefined : `The exporter has no profile for ${id.workload}.`,
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
