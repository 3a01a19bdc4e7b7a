#!/usr/bin/env node
import { ConfigError } from './config/cli-flag.js';
import { telltaleVersion } from './metrics/build-info.js';
import { SinksConfigError } from './sinks/sinks-config.js';

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  run: { summary: 'run the exporter on this host (the default)', load: async () => (await import('./commands/run-command.js')).runCommand },
  profiles: { summary: 'list, show, export, import, diff, lock and unlock stored profiles (GitOps)', load: async () => (await import('./commands/profiles-command.js')).profilesCommand },
  eval: { summary: 'replay system-call traces through profiles and scoring; print AUC and detection rates', load: async () => (await import('./commands/eval-command.js')).evalCommand },
  version: { summary: 'print the version', load: async () => async () => (process.stdout.write(`${telltaleVersion()}\n`), 0) },
};

async function usage(): Promise<string> {
  const { topLevelHelp } = await import('./commands/top-level-help.js');
  return topLevelHelp(Object.entries(COMMANDS).map(([name, c]) => ({ name, summary: c.summary })));
}

async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(await usage());
    return 0;
  }
  if (first === '--version') return COMMANDS['version']!.load().then((c) => c([]));
  const named = first !== undefined && !first.startsWith('-') ? COMMANDS[first] : undefined;
  if (first !== undefined && !first.startsWith('-') && !named) {
    process.stderr.write(`telltale: unknown command ${JSON.stringify(first)}\n\n${await usage()}`);
    return 2;
  }
  const command = await (named ?? COMMANDS['run']!).load();
  return command(named ? rest : [...argv]);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof SinksConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`telltale: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
