import { SceneCSSGridLayout, SceneFlexItem, SceneFlexLayout, type SceneObject } from '@grafana/scenes';

export interface LayoutRow {
  readonly height: number;
  /** Panels left to right with their relative widths. */
  readonly items: ReadonlyArray<readonly [SceneObject, number]>;
}

/** Rows of fixed height whose panels share the width in the given proportions. */
export function rowsLayout(rows: readonly LayoutRow[]): SceneFlexLayout {
  return new SceneFlexLayout({
    direction: 'column',
    children: rows.map(
      (row) =>
        new SceneFlexItem({
          height: row.height,
          minHeight: row.height,
          body: new SceneCSSGridLayout({
            templateColumns: row.items.map(([, grow]) => `minmax(0, ${grow}fr)`).join(' '),
            autoRows: `${row.height}px`,
            columnGap: 1,
            children: row.items.map(([body]) => body),
          }),
        }),
    ),
  });
}
