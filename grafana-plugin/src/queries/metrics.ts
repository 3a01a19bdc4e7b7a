/**
 * The metric contract from the repository README, as the app and dashboards read it. Names,
 * labels, categories and severities come from the exporter's own modules, so a rename there
 * breaks this build instead of silently emptying panels; the query tests run every query
 * against series named exactly like this.
 */
export { METRIC, WORKLOAD_LABEL_NAMES } from '../../../exporter/src/metrics/metric-names.js';
export { CATEGORIES, type Category } from '../../../exporter/src/observations/category.js';
export { SEVERITIES, type Severity } from '../../../exporter/src/findings/finding.js';

/** `telltale_profile_state`'s `state` values (README: learning, ready or locked). */
export const PROFILE_STATES = ['learning', 'ready', 'locked'] as const;
export type ProfileState = (typeof PROFILE_STATES)[number];

/** The README's default alert threshold on `telltale_deviation_score`. */
export const DEFAULT_ALERT_THRESHOLD = 0.9;
