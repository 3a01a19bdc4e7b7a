/**
 * The slice of a pino logger the sinks use, so the daemon can pass `fastify.log` (or a child
 * of it). Fields never hold a token: sinks log endpoints redacted and errors by message.
 */
export interface SinkLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export const SILENT_LOGGER: SinkLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
