import { parseArgs } from 'node:util';

/** A command-line flag with its environment variable, shared by every subcommand's parser and --help. */
export interface CliFlag {
  /** Without the leading dashes, as node:util parseArgs names options. */
  readonly name: string;
  /** Placeholder for the value in `--help`; empty for boolean flags. */
  readonly value: string;
  readonly help: string;
  /** Read when the flag is absent; repeatable flags take a comma-separated list. Absent: no variable. */
  readonly env?: string;
  readonly repeatable: boolean;
  readonly default?: string;
  readonly boolean?: boolean;
}

/** A bad flag or environment variable: says which, and what was wrong. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type FlagValues = ReadonlyMap<string, string | readonly string[] | boolean>;

/**
 * Parses argv against the flag table; a flag absent from argv falls back to its
 * environment variable, then its default. Positionals are returned apart.
 */
export function parseFlags(
  command: string,
  argv: readonly string[],
  flags: readonly CliFlag[],
  env: NodeJS.ProcessEnv,
  allowPositionals = false,
): { values: FlagValues; positionals: string[] } {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {};
  for (const flag of flags) options[flag.name] = { type: flag.boolean ? 'boolean' : 'string', multiple: flag.repeatable };
  options['help'] = { type: 'boolean' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals });
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, '') : String(error);
    throw new ConfigError(`telltale ${command}: ${message} (see telltale ${command} --help)`);
  }
  const values = new Map<string, string | readonly string[] | boolean>();
  for (const flag of flags) {
    const given = parsed.values[flag.name];
    if (given !== undefined) {
      values.set(flag.name, given as string | string[] | boolean);
      continue;
    }
    const fromEnv = flag.env === undefined ? undefined : env[flag.env];
    if (fromEnv !== undefined && fromEnv !== '') {
      if (flag.boolean) {
        if (!['1', 'true', 'yes', '0', 'false', 'no'].includes(fromEnv.toLowerCase())) {
          throw new ConfigError(`${flag.env}=${fromEnv}: expected true or false`);
        }
        values.set(flag.name, ['1', 'true', 'yes'].includes(fromEnv.toLowerCase()));
      } else {
        values.set(flag.name, flag.repeatable ? fromEnv.split(',').map((v) => v.trim()).filter((v) => v !== '') : fromEnv);
      }
      continue;
    }
    if (flag.default !== undefined) values.set(flag.name, flag.repeatable ? [flag.default] : flag.default);
  }
  if (parsed.values['help']) values.set('help', true);
  return { values, positionals: parsed.positionals };
}

export function formatFlagHelp(flags: readonly CliFlag[]): string {
  const lines: string[] = [];
  for (const flag of flags) {
    const head = `  --${flag.name}${flag.value ? ` ${flag.value}` : ''}`;
    const extra = [flag.repeatable ? 'repeatable' : '', flag.default !== undefined ? `default ${flag.default}` : '', flag.env ? `env ${flag.env}` : '']
      .filter((s) => s !== '')
      .join('; ');
    lines.push(head);
    lines.push(extra ? `      ${flag.help} (${extra})` : `      ${flag.help}`);
  }
  return lines.join('\n');
}

export function stringValue(values: FlagValues, name: string): string | undefined {
  const value = values.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function listValue(values: FlagValues, name: string): readonly string[] {
  const value = values.get(name);
  if (Array.isArray(value)) return value as readonly string[];
  return typeof value === 'string' ? [value] : [];
}

export function booleanValue(values: FlagValues, name: string): boolean {
  return values.get(name) === true;
}
