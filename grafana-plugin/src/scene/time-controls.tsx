import { css } from '@emotion/css';
import { SceneObjectBase, type SceneComponentProps, type SceneObjectState, type SceneRefreshPicker, type SceneTimePicker } from '@grafana/scenes';
import React from 'react';

export interface TimeControlsState extends SceneObjectState {
  readonly timePicker: SceneTimePicker;
  readonly refreshPicker: SceneRefreshPicker;
  /**
   * Start a row of their own below the variables. For pages whose variables' width depends on
   * the values (a long workload name), so the toolbar wraps the same way for every workload.
   */
  readonly ownRow: boolean;
}

/**
 * The time range and refresh pickers as one toolbar item, kept at the right: a toolbar too
 * narrow for everything wraps them together instead of leaving the refresh button alone on a
 * line of its own.
 */
export class TimeControls extends SceneObjectBase<TimeControlsState> {
  static Component = TimeControlsRenderer;
}

const inline = css({ display: 'flex', gap: 8, marginLeft: 'auto' });
const ownRow = css({ display: 'flex', gap: 8, flexBasis: '100%', justifyContent: 'flex-end' });

function TimeControlsRenderer({ model }: SceneComponentProps<TimeControls>): React.JSX.Element {
  const { timePicker, refreshPicker, ownRow: onOwnRow } = model.useState();
  return (
    <div className={onOwnRow ? ownRow : inline} data-testid="time-controls">
      <timePicker.Component model={timePicker} />
      <refreshPicker.Component model={refreshPicker} />
    </div>
  );
}
