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

/** One colour per observation category, the same on every chart. */
export const CATEGORY_COLORS: Readonly<Record<string, string>> = {
  exec: 'orange',
  file: 'yellow',
  syscall: 'light-green',
  syscall_sequence: 'dark-green',
  network: 'blue',
  dns: 'light-blue',
  capability: 'purple',
};

/** The overall score next to per-category ones. */
export const OVERALL_COLOR = 'text';
