import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The alert-rules folder, wherever the process was started. */
export const ALERT_RULES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_CONFIG = join(ALERT_RULES_DIR, 'config.yaml');
export const FAST_CONFIG = join(ALERT_RULES_DIR, 'config.fast.yaml');
export const RENDERED_DIR = join(ALERT_RULES_DIR, 'rendered');
export const RUNBOOKS_DIR = join(ALERT_RULES_DIR, 'runbooks');
export const PROMTOOL_TESTS_DIR = join(ALERT_RULES_DIR, 'promtool-tests');
export const ALERTMANAGER_DIR = join(ALERT_RULES_DIR, 'alertmanager');
