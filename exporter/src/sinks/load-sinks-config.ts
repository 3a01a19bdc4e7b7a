import { readFile } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import { isValidSinkName, resolveSinkSpec } from './resolve-sink-spec.js';
import { sinkSpecsFromFlags, type SinkFlagValues } from './sink-flags.js';
import { parseSinksConfigText, type LocatedSinkSpec } from './sinks-config-file.js';
import { SinksConfigError, formatConfigProblem, type ConfigProblem, type SinkConfig, type SinksConfig } from './sinks-config.js';

export interface LoadSinksConfigOptions {
  /** Defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Relative paths on the command line are read from here; defaults to process.cwd(). */
  readonly cwd?: string;
}

/**
 * Flag and environment problems first, then each file's from top to bottom; a problem shared
 * by several sinks made from the same flag is listed once.
 */
function inReadingOrder(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  const unique = problems.filter((problem) => {
    const key = formatConfigProblem(problem);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const rank = (p: ConfigProblem): number => (p.line === undefined ? 0 : 1);
  return unique
    .map((problem, index) => ({ problem, index }))
    .sort(
      (a, b) =>
        rank(a.problem) - rank(b.problem) ||
        (rank(a.problem) === 1 ? a.problem.source.localeCompare(b.problem.source) : 0) ||
        (a.problem.line ?? 0) - (b.problem.line ?? 0) ||
        (a.problem.column ?? 0) - (b.problem.column ?? 0) ||
        a.index - b.index,
    )
    .map(({ problem }) => problem);
}

/**
 * Names each sink: its `name`, or its type, with `-2`, `-3`… for the second and third of a
 * type. Explicit names must be unique and fit a metric label; problems go to the spec.
 */
function assignNames(located: readonly LocatedSinkSpec[]): string[] {
  const explicit = new Set(located.flatMap(({ spec }) => (spec.name === undefined ? [] : [spec.name])));
  const taken = new Set<string>();
  return located.map(({ spec, report }) => {
    if (spec.name !== undefined) {
      if (!isValidSinkName(spec.name)) {
        report(['name'], `"${spec.name}" is not a sink name: 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit`);
      } else if (taken.has(spec.name)) {
        report(['name'], `another sink is already named "${spec.name}"`);
      }
      taken.add(spec.name);
      return spec.name;
    }
    let name: string = spec.type;
    for (let n = 2; taken.has(name) || explicit.has(name); n++) name = `${spec.type}-${n}`;
    taken.add(name);
    return name;
  });
}

/**
 * The sinks to run, from the `--sinks-config` file and the sink flags (or their environment
 * variables), checked in full: URLs, durations, names, token files and variables. Throws a
 * SinksConfigError listing every problem with the file, line and field or the flag it came from.
 * No sink flags and no file give an empty config.
 */
export async function loadSinksConfig(flags: SinkFlagValues, options: LoadSinksConfigOptions = {}): Promise<SinksConfig> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const problems: ConfigProblem[] = [];
  const fromFlags = sinkSpecsFromFlags(flags, env, cwd, problems);
  const specs: LocatedSinkSpec[] = [];

  if (fromFlags.configFile) {
    const path = resolvePath(cwd, fromFlags.configFile.path);
    try {
      const text = await readFile(path, 'utf8');
      specs.push(...parseSinksConfigText(text, path, dirname(path), problems));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      problems.push({ ...fromFlags.configFile.where, message: `cannot read sinks config file ${path}: ${code}` });
    }
  }
  specs.push(...fromFlags.specs);

  const names = assignNames(specs);
  const sinks = await Promise.all(
    specs.map((item, i) => resolveSinkSpec(item.spec, names[i] as string, item.defaults, { env, baseDir: item.baseDir, report: item.report })),
  );
  if (problems.length > 0) throw new SinksConfigError(inReadingOrder(problems));
  return { sinks: sinks.filter((sink): sink is SinkConfig => sink !== undefined) };
}
