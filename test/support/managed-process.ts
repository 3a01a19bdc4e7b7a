import { spawn, type ChildProcess } from 'node:child_process';

const MAX_OUTPUT_CHARS = 64 * 1024;
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

/** If the test runner dies first, do not leave Prometheus or Alertmanager running behind it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
  });
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** Set once the process has exited, e.g. "exit code 1" or "signal SIGTERM". */
  readonly exitDescription: string | undefined;
  /** Combined stdout and stderr, the last 64 KiB of it. */
  output(): string;
  /** An Error naming the process and quoting its output, if it has exited; for `abortIf`. */
  exitedError(): Error | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  readonly name: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Sees all output, for callers that need more than the kept tail (e.g. every log line). */
  readonly onOutput?: (chunk: string) => void;
}

export function spawnManaged(command: string, args: readonly string[], options: SpawnOptions): ManagedProcess {
  installExitHook();
  const child = spawn(command, [...args], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveChildren.add(child);
  let output = '';
  const append = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    options.onOutput?.(text);
    output += text;
    if (output.length > MAX_OUTPUT_CHARS) output = output.slice(-MAX_OUTPUT_CHARS);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);

  let exitDescription: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      exitDescription ??= `failed to start: ${error.message}`;
      liveChildren.delete(child);
      resolve();
    });
    child.once('exit', (code, signal) => {
      exitDescription = signal === null ? `exit code ${String(code)}` : `signal ${signal}`;
      liveChildren.delete(child);
      resolve();
    });
  });

  const managed: ManagedProcess = {
    name: options.name,
    pid: child.pid ?? -1,
    get exitDescription() {
      return exitDescription;
    },
    output: () => output,
    exitedError: () =>
      exitDescription === undefined
        ? undefined
        : new Error(`${options.name} (${command}) stopped with ${exitDescription}; output:\n${tail(output)}`),
    async stop(graceMs = 15_000) {
      if (exitDescription !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  return managed;
}

function tail(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export function looksLikePortClash(output: string): boolean {
  return /address already in use/i.test(output);
}
