import { css } from '@emotion/css';
import { sceneGraph, SceneObjectBase, type SceneComponentProps, type SceneObjectState } from '@grafana/scenes';
import { PanelChrome } from '@grafana/ui';
import React from 'react';
import { PanelViz } from '../components/viz/panel-viz.js';
import { useElementSize } from '../components/viz/use-element-size.js';
import type { PanelSpec } from '../panels/panel-spec.js';
import { PromQueryRunner } from './prom-query-runner.js';

export interface TelltalePanelState extends SceneObjectState {
  readonly spec: PanelSpec;
  readonly alertThreshold: number;
}

/**
 * A panel whose data comes from its PromQueryRunner and whose visualisation is a @grafana/ui
 * component, so it renders anywhere @grafana/ui does (Grafana, the test harness).
 */
export class TelltalePanel extends SceneObjectBase<TelltalePanelState> {
  static Component = TelltalePanelRenderer;

  static fromSpec(spec: PanelSpec, alertThreshold: number): TelltalePanel {
    return new TelltalePanel({
      key: spec.key,
      spec,
      alertThreshold,
      $data: new PromQueryRunner({ queries: spec.queries, datasource: '${ds}', maxDataPoints: spec.maxDataPoints }),
    });
  }
}

const fill = css({ width: '100%', height: '100%', minHeight: 0, minWidth: 0 });

function TelltalePanelRenderer({ model }: SceneComponentProps<TelltalePanel>): React.JSX.Element {
  const { spec, alertThreshold } = model.useState();
  const { data } = sceneGraph.getData(model).useState();
  const [ref, size] = useElementSize<HTMLDivElement>();
  return (
    // data-state lets the browser test wait for every panel to finish, without sleeping.
    <div ref={ref} className={fill} data-testid={`panel-${spec.key}`} data-state={data?.state ?? 'NotStarted'}>
      {size.width > 0 && size.height > 0 && (
        <PanelChrome
          title={spec.title}
          description={spec.description}
          width={size.width}
          height={size.height}
          loadingState={data?.state}
          statusMessage={data?.errors?.[0]?.message}
        >
          {(width, height) => <PanelViz spec={spec} data={data} width={width} height={height} alertThreshold={alertThreshold} />}
        </PanelChrome>
      )}
    </div>
  );
}
