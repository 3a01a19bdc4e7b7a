import { css } from '@emotion/css';
import { LoadingState, type GrafanaTheme2, type PanelData } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React from 'react';
import type { PanelSpec } from '../../panels/panel-spec.js';
import { BarListViz } from './bar-list-viz.js';
import { StatViz } from './stat-viz.js';
import { TableViz } from './table-viz.js';
import { TimeSeriesViz } from './time-series-viz.js';

export interface PanelVizProps {
  readonly spec: PanelSpec;
  readonly data: PanelData | undefined;
  readonly width: number;
  readonly height: number;
  readonly alertThreshold: number;
}

/** Picks the @grafana/ui visualisation for a panel and says plainly when there is no data. */
export function PanelViz({ spec, data, width, height, alertThreshold }: PanelVizProps): React.JSX.Element | null {
  const styles = useStyles2(getStyles);
  if (!data || (data.state === LoadingState.Loading && data.series.length === 0)) {
    return null;
  }
  if (data.state === LoadingState.Error) {
    return <div className={styles.message}>{data.errors?.[0]?.message ?? 'Query failed'}</div>;
  }
  const viz = spec.viz;
  const needsSeries = !(viz.kind === 'table' || (viz.kind === 'stat' && viz.tiles));
  if (needsSeries && data.series.length === 0) {
    return <div className={styles.message}>{spec.noDataText ?? 'No data'}</div>;
  }
  switch (viz.kind) {
    case 'timeseries':
      return <TimeSeriesViz frames={data.series} spec={viz} timeRange={data.timeRange} width={width} height={height} alertThreshold={alertThreshold} />;
    case 'stat':
      return <StatViz frames={data.series} spec={viz} width={width} height={height} alertThreshold={alertThreshold} />;
    case 'bar-list':
      return <BarListViz frames={data.series} spec={viz} width={width} height={height} />;
    case 'table':
      return <TableViz frames={data.series} spec={viz} timeRange={data.timeRange} height={height} />;
  }
}

const getStyles = (theme: GrafanaTheme2) => ({
  message: css({
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    height: '100%',
    color: theme.colors.text.secondary,
  }),
});
