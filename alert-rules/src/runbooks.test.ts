import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { NOVEL_ITEM_ALERTS, DEVIATION_ALERT } from './groups/workload-alerts.js';
import { DEFAULT_CONFIG, RENDERED_DIR, RUNBOOKS_DIR } from './paths.js';
import { RULES_FILE } from './render.js';
import { alertingRules, listFiles, readRuleFile } from './rule-files.js';

async function renderedAlerts(): Promise<ReturnType<typeof alertingRules>> {
  return alertingRules(await readRuleFile(join(RENDERED_DIR, RULES_FILE)));
}

describe('runbooks/', () => {
  it('has one runbook per alert, named after it, and nothing else', async () => {
    const alerts = (await renderedAlerts()).map((rule) => rule.alert).sort();
    const files = (await listFiles(RUNBOOKS_DIR, '.md')).map((file) => basename(file, '.md')).sort();
    expect(files).toEqual(alerts);
  });

  it('is where every runbook_url points', async () => {
    const { runbookBaseUrl } = await loadConfig([DEFAULT_CONFIG]);
    expect(runbookBaseUrl).toMatch(/\/alert-rules\/runbooks$/);
    for (const rule of await renderedAlerts()) {
      expect(rule.annotations.runbook_url, rule.alert).toBe(`${runbookBaseUrl}/${rule.alert}.md`);
    }
  });

  it('says what each alert means and how to triage it, with the Workload page and the profile CLI', async () => {
    const acceptsIntoProfile = new Set([DEVIATION_ALERT, ...NOVEL_ITEM_ALERTS.map((spec) => spec.alert)]);
    for (const rule of await renderedAlerts()) {
      const text = await readFile(join(RUNBOOKS_DIR, `${rule.alert}.md`), 'utf8');
      expect(text.startsWith(`# ${rule.alert}\n`), rule.alert).toBe(true);
      expect(text, rule.alert).toContain('\n## Meaning\n');
      expect(text, rule.alert).toContain('\n## Triage\n');
      // Markdown wraps lines anywhere; compare words, not line breaks.
      const prose = text.replace(/\s+/g, ' ');
      expect(prose, rule.alert).toContain('Workload page');
      expect(prose, rule.alert).toContain('telltale profiles show <id>');
      // The steps themselves are run against real profiles by runbook-snippets.test.ts.
      if (acceptsIntoProfile.has(rule.alert)) expect(text, rule.alert).toContain('\n## Accept the behaviour into the profile\n');
    }
  });
});
