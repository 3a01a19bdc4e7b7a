/** For the end-to-end tests (and later a Helm chart's tooling): render the rules from any config. */
export { ConfigError, loadConfig, mergeOverlay, parseConfig, type AlertRulesConfig, type ConfigOverlay } from './config.js';
export { DEFAULT_CONFIG, FAST_CONFIG, RENDERED_DIR, RUNBOOKS_DIR } from './paths.js';
export { renderAll, renderPrometheusRuleYaml, renderRulesYaml, writeRendered, PROMETHEUS_RULE_FILE, RULES_FILE } from './render.js';
export { ruleGroups } from './rule-groups.js';
export type { AlertingRule, RecordingRule, Rule, RuleGroup } from './rule-types.js';
