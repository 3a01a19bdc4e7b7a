/**
 * Setters Grafana's own frontend calls but @grafana/runtime does not export publicly; the
 * harness build maps this name to the runtime's real module file (see harness-build.ts).
 */
declare module 'grafana-internal:runtime/plugin-page' {
  import type { PluginPageType } from '@grafana/runtime';
  export function setPluginPage(component: PluginPageType): void;
}
