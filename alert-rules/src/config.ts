import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { isDuration } from './duration.js';
import { parseMatchers, type LabelMatcher } from './promql.js';
import { isSeverity, SEVERITIES, type Severity } from './severity.js';

export interface AlertRulesConfig {
  readonly exporterSelector: readonly LabelMatcher[];
  readonly runbookBaseUrl: string;
  readonly groupInterval: string | null;
  readonly deviation: { readonly threshold: number; readonly for: string; readonly keepFiringFor: string; readonly severity: Severity };
  readonly novelItems: { readonly window: string; readonly severity: Severity; readonly sensitiveFiles: readonly string[] };
  readonly behaviouralRules: { readonly window: string };
  readonly exporter: { readonly downFor: string; readonly absentFor: string; readonly severity: Severity };
  readonly kernelEventLoss: { readonly rateWindow: string; readonly for: string; readonly severity: Severity };
  readonly loaderRestarts: { readonly window: string; readonly threshold: number; readonly severity: Severity };
  readonly learningOverdue: { readonly for: string; readonly severity: Severity };
  readonly profileStoreErrors: { readonly window: string; readonly severity: Severity };
}

/** A config document as written: every part optional so overlays can change one value. */
export type ConfigOverlay = { readonly [key: string]: unknown };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and merges YAML config files, later files overriding earlier ones, then `overrides`. */
export async function loadConfig(files: readonly string[], overrides: ConfigOverlay = {}): Promise<AlertRulesConfig> {
  if (files.length === 0) throw new ConfigError('no config file given');
  let merged: ConfigOverlay = {};
  for (const file of files) {
    let document: unknown;
    try {
      document = parse(await readFile(file, 'utf8'));
    } catch (error: unknown) {
      throw new ConfigError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (document === null || document === undefined) continue;
    if (!isRecord(document)) throw new ConfigError(`${file}: expected a mapping at the top level`);
    merged = mergeOverlay(merged, document);
  }
  return parseConfig(mergeOverlay(merged, overrides), files.join(' + '));
}

/** Deep merge of plain mappings; anything else (lists included) is replaced. */
export function mergeOverlay(base: ConfigOverlay, overlay: ConfigOverlay): ConfigOverlay {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const current = result[key];
    result[key] = isRecord(current) && isRecord(value) ? mergeOverlay(current, value) : value;
  }
  return result;
}

/** Validates a merged config document; errors name the source and the offending key. */
export function parseConfig(document: ConfigOverlay, source: string): AlertRulesConfig {
  const reader = new Reader(source);
  const root = reader.section(document, '', [
    'exporterSelector',
    'runbookBaseUrl',
    'groupInterval',
    'deviation',
    'novelItems',
    'behaviouralRules',
    'exporter',
    'kernelEventLoss',
    'loaderRestarts',
    'learningOverdue',
    'profileStoreErrors',
  ]);
  const deviation = reader.section(root.deviation, 'deviation', ['threshold', 'for', 'keepFiringFor', 'severity']);
  const novelItems = reader.section(root.novelItems, 'novelItems', ['window', 'severity', 'sensitiveFiles']);
  const behaviouralRules = reader.section(root.behaviouralRules, 'behaviouralRules', ['window']);
  const exporter = reader.section(root.exporter, 'exporter', ['downFor', 'absentFor', 'severity']);
  const loss = reader.section(root.kernelEventLoss, 'kernelEventLoss', ['rateWindow', 'for', 'severity']);
  const restarts = reader.section(root.loaderRestarts, 'loaderRestarts', ['window', 'threshold', 'severity']);
  const overdue = reader.section(root.learningOverdue, 'learningOverdue', ['for', 'severity']);
  const storeErrors = reader.section(root.profileStoreErrors, 'profileStoreErrors', ['window', 'severity']);

  return {
    exporterSelector: reader.selector(root.exporterSelector, 'exporterSelector'),
    runbookBaseUrl: reader.url(root.runbookBaseUrl, 'runbookBaseUrl'),
    groupInterval: root.groupInterval === null ? null : reader.duration(root.groupInterval, 'groupInterval'),
    deviation: {
      threshold: reader.ratio(deviation.threshold, 'deviation.threshold'),
      for: reader.duration(deviation.for, 'deviation.for'),
      keepFiringFor: reader.duration(deviation.keepFiringFor, 'deviation.keepFiringFor'),
      severity: reader.severity(deviation.severity, 'deviation.severity'),
    },
    novelItems: {
      window: reader.duration(novelItems.window, 'novelItems.window'),
      severity: reader.severity(novelItems.severity, 'novelItems.severity'),
      sensitiveFiles: reader.regexList(novelItems.sensitiveFiles, 'novelItems.sensitiveFiles'),
    },
    behaviouralRules: { window: reader.duration(behaviouralRules.window, 'behaviouralRules.window') },
    exporter: {
      downFor: reader.duration(exporter.downFor, 'exporter.downFor'),
      absentFor: reader.duration(exporter.absentFor, 'exporter.absentFor'),
      severity: reader.severity(exporter.severity, 'exporter.severity'),
    },
    kernelEventLoss: {
      rateWindow: reader.duration(loss.rateWindow, 'kernelEventLoss.rateWindow'),
      for: reader.duration(loss.for, 'kernelEventLoss.for'),
      severity: reader.severity(loss.severity, 'kernelEventLoss.severity'),
    },
    loaderRestarts: {
      window: reader.duration(restarts.window, 'loaderRestarts.window'),
      threshold: reader.positiveInteger(restarts.threshold, 'loaderRestarts.threshold'),
      severity: reader.severity(restarts.severity, 'loaderRestarts.severity'),
    },
    learningOverdue: {
      for: reader.duration(overdue.for, 'learningOverdue.for'),
      severity: reader.severity(overdue.severity, 'learningOverdue.severity'),
    },
    profileStoreErrors: {
      window: reader.duration(storeErrors.window, 'profileStoreErrors.window'),
      severity: reader.severity(storeErrors.severity, 'profileStoreErrors.severity'),
    },
  };
}

class Reader {
  constructor(private readonly source: string) {}

  section(value: unknown, path: string, keys: readonly string[]): Record<string, unknown> {
    const where = path === '' ? 'the top level' : path;
    if (!isRecord(value)) throw this.error(path, `expected a mapping at ${where}, got ${show(value)}`);
    const unknown = Object.keys(value).filter((key) => !keys.includes(key));
    if (unknown.length > 0) {
      throw this.error(path, `unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} at ${where}; known: ${keys.join(', ')}`);
    }
    const missing = keys.filter((key) => !(key in value));
    if (missing.length > 0) throw this.error(path, `missing ${missing.join(', ')} at ${where}`);
    return value;
  }

  duration(value: unknown, path: string): string {
    if (typeof value !== 'string' || !isDuration(value)) {
      throw this.error(path, `expected a Prometheus duration such as 30s, 15m or 1h30m, got ${show(value)}`);
    }
    return value;
  }

  ratio(value: unknown, path: string): number {
    if (typeof value !== 'number' || !(value > 0 && value <= 1)) throw this.error(path, `expected a number in (0, 1], got ${show(value)}`);
    return value;
  }

  positiveInteger(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw this.error(path, `expected a whole number ≥ 1, got ${show(value)}`);
    return value;
  }

  severity(value: unknown, path: string): Severity {
    if (!isSeverity(value)) throw this.error(path, `expected one of ${SEVERITIES.join(', ')}, got ${show(value)}`);
    return value;
  }

  url(value: unknown, path: string): string {
    if (typeof value !== 'string' || !URL.canParse(value)) throw this.error(path, `expected an absolute URL, got ${show(value)}`);
    return value.replace(/\/+$/, '');
  }

  selector(value: unknown, path: string): LabelMatcher[] {
    if (typeof value !== 'string') throw this.error(path, `expected label matchers such as 'job="telltale"', got ${show(value)}`);
    let matchers: LabelMatcher[];
    try {
      matchers = parseMatchers(value);
    } catch (error: unknown) {
      throw this.error(path, error instanceof Error ? error.message : String(error));
    }
    // absent() and every selector need something that cannot match the empty string.
    if (!matchers.some((matcher) => matcher.op === '=' && matcher.value !== '')) {
      throw this.error(path, `needs at least one equality matcher with a non-empty value (e.g. job="telltale"), got ${show(value)}`);
    }
    return matchers;
  }

  regexList(value: unknown, path: string): string[] {
    if (!Array.isArray(value) || value.length === 0) throw this.error(path, `expected a non-empty list of regular expressions, got ${show(value)}`);
    return value.map((item: unknown, index) => {
      const where = `${path}[${index}]`;
      if (typeof item !== 'string' || item === '') throw this.error(where, `expected a regular expression, got ${show(item)}`);
      try {
        // JavaScript's syntax is close enough to RE2 to catch typos early; promtool has the last word.
        new RegExp(item);
      } catch (error: unknown) {
        throw this.error(where, `not a valid regular expression: ${error instanceof Error ? error.message : String(error)}`);
      }
      return item;
    });
  }

  private error(path: string, message: string): ConfigError {
    return new ConfigError(`${this.source}: ${path === '' ? '' : `${path}: `}${message}`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
