import { LoadingState, type DataFrame, type PanelData, type TimeRange } from '@grafana/data';
import {
  sceneGraph,
  SceneObjectBase,
  VariableDependencyConfig,
  type SceneDataProvider,
  type SceneDataProviderResult,
  type SceneDataState,
} from '@grafana/scenes';
import { ReplaySubject, type Observable } from 'rxjs';
import { instantSamplesToFrames, rangeSeriesToFrames } from '../data/prom-frames.js';
import { PrometheusClient } from '../data/prometheus-client.js';
import type { PromQuery } from '../panels/panel-spec.js';
import { DEFAULT_SCRAPE_INTERVAL_SECONDS, interpolateMacros, stepSeconds } from '../queries/macros.js';
import { formatPromVariable } from './prom-variable-format.js';

export interface PromQueryRunnerState extends SceneDataState {
  readonly queries: readonly PromQuery[];
  /** Data source UID, usually `${ds}` so the data source picker drives it. */
  readonly datasource: string;
  readonly maxDataPoints?: number;
}

const DEFAULT_MAX_DATA_POINTS = 300;

/**
 * The app's data layer: a scenes data provider that runs PromQL against the selected
 * Prometheus through Grafana's data source proxy and publishes DataFrames. It replaces
 * SceneQueryRunner because that needs Grafana's own Prometheus data source plugin, which only
 * exists inside a Grafana server; this runs the same way in Grafana and in the test harness.
 */
export class PromQueryRunner extends SceneObjectBase<PromQueryRunnerState> implements SceneDataProvider<PromQueryRunnerState> {
  private readonly results = new ReplaySubject<SceneDataProviderResult>(1);
  private runCount = 0;
  private waitingForVariables = false;

  protected override _variableDependency = new VariableDependencyConfig(this, {
    statePaths: ['queries', 'datasource'],
    onReferencedVariableValueChanged: () => this.runQueries(),
    onVariableUpdateCompleted: () => {
      if (this.waitingForVariables) {
        this.runQueries();
      }
    },
  });

  constructor(state: PromQueryRunnerState) {
    super(state);
    this.addActivationHandler(() => {
      const timeRange = sceneGraph.getTimeRange(this);
      const sub = timeRange.subscribeToState((next, prev) => {
        if (next.value !== prev.value) {
          this.runQueries();
        }
      });
      this.runQueries();
      return () => {
        sub.unsubscribe();
        this.runCount++;
      };
    });
  }

  getResultsStream(): Observable<SceneDataProviderResult> {
    return this.results;
  }

  isDataReadyToDisplay(): boolean {
    return this.state.data?.state === LoadingState.Done;
  }

  cancelQuery(): void {
    this.runCount++;
  }

  runQueries(): void {
    if (sceneGraph.hasVariableDependencyInLoadingState(this)) {
      this.waitingForVariables = true;
      return;
    }
    this.waitingForVariables = false;
    const run = ++this.runCount;
    const timeRange = sceneGraph.getTimeRange(this).state.value;
    this.publish({ state: LoadingState.Loading, series: this.state.data?.series ?? [], timeRange });
    this.fetchFrames(timeRange).then(
      (series) => {
        if (run === this.runCount) {
          this.publish({ state: LoadingState.Done, series, timeRange });
        }
      },
      (error: unknown) => {
        if (run === this.runCount) {
          const message = error instanceof Error ? error.message : String(error);
          this.publish({ state: LoadingState.Error, series: [], timeRange, errors: [{ message }] });
        }
      },
    );
  }

  /** The queries exactly as they are sent, after variables and macros; for inspection and tests. */
  interpolatedQueries(timeRange: TimeRange): PromQuery[] {
    const { rangeSeconds, step } = this.grid(timeRange);
    return this.state.queries.map((q) => ({
      ...q,
      expr: sceneGraph.interpolate(
        this,
        interpolateMacros(q.expr, { rangeSeconds, intervalSeconds: step, scrapeIntervalSeconds: DEFAULT_SCRAPE_INTERVAL_SECONDS }),
        undefined,
        formatPromVariable,
      ),
    }));
  }

  private async fetchFrames(timeRange: TimeRange): Promise<DataFrame[]> {
    const client = new PrometheusClient(sceneGraph.interpolate(this, this.state.datasource));
    const { start, end, step, to } = this.grid(timeRange);
    const frames = await Promise.all(
      this.interpolatedQueries(timeRange).map(async (q) =>
        q.instant
          ? instantSamplesToFrames(await client.queryInstant(q.expr, to), q)
          : rangeSeriesToFrames(await client.queryRange(q.expr, start, end, step), q, { start, end, step }),
      ),
    );
    return frames.flat();
  }

  private grid(timeRange: TimeRange): { start: number; end: number; step: number; rangeSeconds: number; to: number } {
    const from = timeRange.from.valueOf() / 1000;
    const to = timeRange.to.valueOf() / 1000;
    const rangeSeconds = Math.max(1, to - from);
    const step = stepSeconds(rangeSeconds, this.state.maxDataPoints ?? DEFAULT_MAX_DATA_POINTS, DEFAULT_SCRAPE_INTERVAL_SECONDS);
    // Aligning to the step keeps the grid stable while the range slides, as Grafana does.
    // Instant queries are evaluated at the end of the range itself.
    return { start: Math.floor(from / step) * step, end: Math.floor(to / step) * step, step, rangeSeconds, to: Math.floor(to) };
  }

  private publish(data: PanelData): void {
    this.setState({ data });
    this.results.next({ origin: this, data });
  }
}
