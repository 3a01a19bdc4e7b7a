import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { isAlertingRule, type AlertingRule, type RecordingRule, type RuleGroup } from './rule-types.js';

/** Reads a rendered rule file back, checking just enough shape to look rules up by name. */
export async function readRuleFile(path: string): Promise<RuleGroup[]> {
  const document: unknown = parse(await readFile(path, 'utf8'));
  if (typeof document !== 'object' || document === null || !('groups' in document) || !Array.isArray(document.groups)) {
    throw new Error(`${path}: expected a mapping with a groups list`);
  }
  return document.groups as RuleGroup[];
}

export function alertingRules(groups: readonly RuleGroup[]): AlertingRule[] {
  return groups.flatMap((group) => group.rules.filter(isAlertingRule));
}

export function recordingRuleList(groups: readonly RuleGroup[]): RecordingRule[] {
  return groups.flatMap((group) => group.rules.filter((rule): rule is RecordingRule => !isAlertingRule(rule)));
}

export async function listFiles(dir: string, suffix: string): Promise<string[]> {
  return (await readdir(dir))
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => join(dir, name));
}
