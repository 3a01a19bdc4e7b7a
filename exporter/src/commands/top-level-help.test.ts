import { describe, expect, it } from 'vitest';
import { RUN_FLAGS } from './run-command.js';
import { topLevelHelp } from './top-level-help.js';

describe('telltale --help', () => {
  it('lists the commands and documents every flag of run, the default command, with its environment variable', () => {
    const help = topLevelHelp([
      { name: 'run', summary: 'run the exporter' },
      { name: 'profiles', summary: 'manage profiles' },
    ]);
    expect(help).toMatch(/^ {2}run {7}run the exporter$/m);
    expect(help).toMatch(/^ {2}profiles {2}manage profiles$/m);
    for (const flag of RUN_FLAGS) {
      expect(help, flag.name).toMatch(new RegExp(`--${flag.name}\\b`));
      if (flag.env) expect(help, flag.env).toContain(flag.env);
    }
  });
});
