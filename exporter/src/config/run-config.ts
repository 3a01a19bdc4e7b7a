import { parseDuration } from './duration.js';
import { LOG_LEVELS, type LogLevel } from '../logging/logger.js';
import { defaultLoaderPath } from '../sensor/loader-path.js';
import type { CapabilityModeSetting } from '../sensor/loader-supervisor.js';
import { booleanValue, ConfigError, listValue, stringValue, type FlagValues } from './cli-flag.js';
import { parseListenAddress, type ListenAddress } from './listen-address.js';

export interface CoreRunConfig {
  readonly listen: ListenAddress;
  readonly stateDir: string;
  /** null: find it in mountinfo. */
  readonly cgroupRoot: string | null;
  readonly logLevel: LogLevel;
  readonly learningPeriodMs: number;
  readonly ngramLength: number;
  readonly capabilityMode: CapabilityModeSetting;
  readonly loaderPath: string;
  readonly ringbufBytes: number;
  readonly containerStorage: readonly string[];
  readonly dockerRoot: string;
  readonly sensor: boolean;
}

function required(values: FlagValues, name: string): string {
  const value = stringValue(values, name);
  if (value === undefined) throw new ConfigError(`--${name} is required`);
  return value;
}

export function durationFlag(values: FlagValues, name: string, minimumMs = 1): number {
  const text = required(values, name);
  const ms = parseDuration(text);
  if (ms === undefined) throw new ConfigError(`--${name} ${JSON.stringify(text)}: expected a duration such as 90s, 15m or 24h`);
  if (ms < minimumMs) throw new ConfigError(`--${name} ${text}: must be at least ${minimumMs} ms`);
  return ms;
}

export function integerFlag(values: FlagValues, name: string, min: number, max: number): number {
  const text = required(values, name);
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    throw new ConfigError(`--${name} ${JSON.stringify(text)}: expected a whole number from ${min} to ${max}`);
  }
  return value;
}

export function oneOf<T extends string>(values: FlagValues, name: string, allowed: readonly T[]): T {
  const text = required(values, name);
  if (!(allowed as readonly string[]).includes(text)) {
    throw new ConfigError(`--${name} ${JSON.stringify(text)}: expected one of ${allowed.join(', ')}`);
  }
  return text as T;
}

/** Validates the daemon core's flags; every error names the flag and the bad value. */
export function coreRunConfig(values: FlagValues): CoreRunConfig {
  const ngramLength = integerFlag(values, 'ngram', 0, 7);
  if (ngramLength === 1) throw new ConfigError('--ngram 1: use 0 to turn sequences off, or 2..7');
  const ringbufBytes = integerFlag(values, 'ringbuf-bytes', 65536, 1 << 30);
  if ((ringbufBytes & (ringbufBytes - 1)) !== 0) throw new ConfigError(`--ringbuf-bytes ${ringbufBytes}: must be a power of two`);
  return {
    listen: parseListenAddress(required(values, 'listen'), '--listen'),
    stateDir: required(values, 'state-dir'),
    cgroupRoot: stringValue(values, 'cgroup-root') ?? null,
    logLevel: oneOf(values, 'log-level', LOG_LEVELS),
    learningPeriodMs: durationFlag(values, 'learning-period', 1000),
    ngramLength,
    capabilityMode: oneOf(values, 'capability-mode', ['auto', 'hook', 'derived'] as const),
    loaderPath: stringValue(values, 'loader') ?? defaultLoaderPath(),
    ringbufBytes,
    containerStorage: listValue(values, 'container-storage'),
    dockerRoot: required(values, 'docker-root'),
    sensor: !booleanValue(values, 'no-sensor'),
  };
}
