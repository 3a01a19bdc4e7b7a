import type { AlertRulesConfig } from './config.js';
import { behaviouralRuleAlerts } from './groups/behavioural-rule-alerts.js';
import { healthAlerts } from './groups/health-alerts.js';
import { workloadAlerts } from './groups/workload-alerts.js';
import type { Rule, RuleGroup } from './rule-types.js';

/** Every Telltale rule group, in the order they are rendered. */
export function ruleGroups(config: AlertRulesConfig): RuleGroup[] {
  const group = (name: string, rules: readonly Rule[]): RuleGroup =>
    config.groupInterval === null ? { name, rules } : { name, interval: config.groupInterval, rules };
  return [
    group('telltale.workloads', workloadAlerts(config)),
    group('telltale.behavioural-rules', behaviouralRuleAlerts(config)),
    group('telltale.health', healthAlerts(config)),
  ];
}
