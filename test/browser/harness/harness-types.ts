/** What the harness server tells the page about itself (GET /harness/config.json). */
export interface HarnessConfig {
  readonly pluginId: string;
  /** URL of the built plugin's AMD module. */
  readonly moduleUrl: string;
  readonly datasource: { readonly uid: string; readonly name: string };
}

/** The plugin settings Grafana's `GET /api/plugins/<id>/settings` returns (the part the app reads). */
export interface PluginSettings {
  readonly id: string;
  readonly enabled: boolean;
  readonly pinned: boolean;
  readonly jsonData: Record<string, unknown>;
}

/** Set on window once a page has rendered, or failed to: the browser test waits for it. */
export interface HarnessStatus {
  readonly state: 'loading' | 'ready' | 'error';
  readonly message?: string;
}
