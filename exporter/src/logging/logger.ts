import { pino, type Logger } from 'pino';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Structured JSON lines on stderr, so stdout stays free for command output (YAML, JSON). */
export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { app: 'telltale' }, timestamp: pino.stdTimeFunctions.isoTime }, pino.destination({ dest: 2, sync: true }));
}

export type { Logger };
