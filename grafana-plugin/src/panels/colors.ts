/** Grafana named colours, resolved by the theme so they read well in dark and light mode. */
export const SEVERITY_COLORS: Readonly<Record<string, string>> = {
  critical: 'red',
  warning: 'orange',
  info: 'blue',
};

export const STATE_COLORS: Readonly<Record<string, string>> = {
  learning: 'blue',
  ready: 'green',
  locked: 'purple',
};
