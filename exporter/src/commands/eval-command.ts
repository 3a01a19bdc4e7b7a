import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { MAX_NGRAM_LENGTH } from '../profiles/profile-config.js';
import { runEval } from '../eval/run-eval.js';
import { TRACE_FORMATS, type TraceFormat } from '../eval/trace-reader.js';

export const EVAL_USAGE = `Usage: telltale eval --train DIR --normal DIR --attack DIR [options]

Replays system-call traces through Telltale's profile and scoring code (kernel dedup
semantics: each trace is one process in one epoch) and prints detection metrics as JSON.

  --train DIR         normal traces to learn the profile from (one epoch per trace)
  --normal DIR        normal traces: part calibrates the threshold, the rest is held out.
                      When it names the same directory as --train, that directory is split
                      by --seed (--train-fraction for training).
  --attack DIR        attack traces
  --format F          tokens (one trace per file, whitespace-separated syscall numbers) or
                      pid-tokens (lines "<pid> <syscall>", one trace per file and pid).
                      Default: tokens. Files may be gzip-compressed; directories are walked
                      recursively.
  --ngram N           syscall n-gram length, 2..${MAX_NGRAM_LENGTH} (default 6, as the exporter)
  --seed N            seed for the splits (default 1)
  --calibration-fraction X  share of the held-out normal traces used for calibration (default 0.3)
  --train-fraction X  share of the shared directory used for training (default 0.5)
  --target-far X      false-alarm rate that score 0.9 stands for (default 0.01)
  -h, --help          this text

Output: auc, detectionAtFalseAlarmRate at 1/5/10 % of the held-out normal traces, and the
realised false-alarm and detection rates at the alert threshold (score ≥ 0.9).`;

function number(name: string, raw: string | undefined, fallback: number, check: (v: number) => boolean, expected: string): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || !check(value)) {
    throw new UsageError(`--${name} must be ${expected}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

class UsageError extends Error {}

export async function evalCommand(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        train: { type: 'string' },
        normal: { type: 'string' },
        attack: { type: 'string' },
        format: { type: 'string' },
        ngram: { type: 'string' },
        seed: { type: 'string' },
        'calibration-fraction': { type: 'string' },
        'train-fraction': { type: 'string' },
        'target-far': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`telltale eval: ${(error as Error).message}\n\n${EVAL_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${EVAL_USAGE}\n`);
    return 0;
  }
  try {
    for (const name of ['train', 'normal', 'attack'] as const) {
      if (!values[name]) throw new UsageError(`--${name} DIR is required`);
    }
    const format = values.format ?? 'tokens';
    if (!(TRACE_FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be one of ${TRACE_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
    }
    const fraction = (v: number) => v > 0 && v < 1;
    const report = await runEval({
      train: values.train as string,
      normal: values.normal as string,
      attack: values.attack as string,
      format: format as TraceFormat,
      ngram: number('ngram', values.ngram, 6, (v) => Number.isInteger(v) && v >= 2 && v <= MAX_NGRAM_LENGTH, `an integer in 2..${MAX_NGRAM_LENGTH}`),
      seed: number('seed', values.seed, 1, (v) => Number.isInteger(v) && v >= 0, 'a non-negative integer'),
      calibrationFraction: number('calibration-fraction', values['calibration-fraction'], 0.3, fraction, 'a number in (0,1)'),
      trainFraction: number('train-fraction', values['train-fraction'], 0.5, fraction, 'a number in (0,1)'),
      scoring: { targetFalseAlarmRate: number('target-far', values['target-far'], 0.01, fraction, 'a number in (0,1)') },
    });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  } catch (error) {
    const usage = error instanceof UsageError ? `\n\n${EVAL_USAGE}` : '';
    process.stderr.write(`telltale eval: ${(error as Error).message}${usage}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

// Runnable on its own (`npx tsx src/commands/eval-command.ts …`) until cli.ts wires it in.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await evalCommand(process.argv.slice(2));
}
