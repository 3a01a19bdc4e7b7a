import { execFile } from 'node:child_process';

export interface CommandResult {
  readonly exitCode: number;
  /** stdout followed by stderr. */
  readonly output: string;
}

/**
 * Runs a short-lived tool (promtool, amtool) to completion. A non-zero exit is returned rather
 * than thrown so callers can put the tool's own explanation into their failure message.
 */
export async function runCommand(binary: string, args: readonly string[], cwd?: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(binary, [...args], { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (error === null) {
        resolve({ exitCode: 0, output });
      } else if (typeof error.code === 'number') {
        resolve({ exitCode: error.code, output });
      } else {
        reject(new Error(`could not run ${binary}: ${error.message}`, { cause: error }));
      }
    });
  });
}
