import { formatFlagHelp } from '../config/cli-flag.js';
import { RUN_FLAGS } from './run-command.js';

export interface CommandSummary {
  readonly name: string;
  readonly summary: string;
}

/**
 * `telltale --help`: the commands, then every flag of `run`, because `run` is what a
 * bare `telltale` does and operators look for its flags first.
 */
export function topLevelHelp(commands: readonly CommandSummary[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: telltale [command] [flags]

Context-aware runtime anomaly detection. Without a command, runs the exporter.

commands:
${lines.join('\n')}

flags of run (the default command); every flag can also be set through the
environment variable named with it:
${formatFlagHelp(RUN_FLAGS)}
Run telltale <command> --help for the flags of the other commands.
`;
}
