import { ConfigError, formatFlagHelp, parseFlags } from '../config/cli-flag.js';
import { CORE_RUN_FLAGS } from '../config/run-flags.js';
import { coreRunConfig } from '../config/run-config.js';
import { startDaemon } from '../daemon/daemon.js';
import { createLogger } from '../logging/logger.js';

export const RUN_FLAGS = CORE_RUN_FLAGS;

export function runHelp(): string {
  return `usage: telltale run [flags]

Runs the exporter on this host: loads the BPF sensor, attributes what it sees to
workloads, learns their profiles and serves everything on /metrics.

flags:
${formatFlagHelp(RUN_FLAGS)}
`;
}

export async function runCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseFlags('run', argv, RUN_FLAGS, process.env);
  if (values.get('help')) {
    process.stdout.write(runHelp());
    return 0;
  }
  const config = coreRunConfig(values);
  const log = createLogger(config.logLevel);
  const daemon = await startDaemon(
    config,
    {
      consumer: () => ({ observe: () => undefined, signal: () => undefined, lossReported: () => undefined }),
    },
    log,
  );
  await new Promise<void>((resolve) => {
    const shutdown = (signal: NodeJS.Signals) => {
      log.info({ signal }, 'shutting down');
      resolve();
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  });
  await daemon.stop();
  return 0;
}

export { ConfigError };
