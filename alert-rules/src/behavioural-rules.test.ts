import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BEHAVIOURAL_RULES, OTHER_RULE_ALERT } from './behavioural-rules.js';
import { ALERT_RULES_DIR } from './paths.js';

/** Reads the README's "Behavioural rules" table: the contract with the exporter. */
async function readmeRules(): Promise<Array<{ id: string; severity: string }>> {
  const readme = await readFile(join(ALERT_RULES_DIR, '..', 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Behavioural rules'));
  if (section === undefined) throw new Error('README.md has no "Behavioural rules" section');
  return [...section.matchAll(/^\| `([a-z0-9-]+)` \| (\w+) \|/gm)].map(([, id = '', severity = '']) => ({ id, severity }));
}

describe('BEHAVIOURAL_RULES', () => {
  it('has exactly the rules and severities of the README contract, in its order', async () => {
    const contract = await readmeRules();
    expect(contract.length).toBeGreaterThan(0);
    expect(BEHAVIOURAL_RULES.map(({ id, severity }) => ({ id, severity }))).toEqual(contract);
  });

  it('gives every rule its own alert name', () => {
    const names = [...BEHAVIOURAL_RULES.map((rule) => rule.alert), OTHER_RULE_ALERT];
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^Telltale[A-Z][A-Za-z]+$/);
  });
});
