import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { FrameReader, type FrameProblem } from './frame-reader.js';
import { DecodeError, decodeRecord } from './record-decoder.js';
import type { SensorRecord } from './sensor-record.js';

export type CapabilityModeSetting = 'auto' | 'hook' | 'derived';

export interface LoaderOptions {
  readonly loaderPath: string;
  /** 0 turns syscall sequences off. */
  readonly ngramLength: number;
  readonly capabilityMode: CapabilityModeSetting;
  readonly ringbufBytes: number;
  /** First restart delay; doubles per quick failure up to maxRestartDelayMs. */
  readonly restartDelayMs: number;
  readonly maxRestartDelayMs: number;
  /** A loader that ran this long resets the backoff. */
  readonly healthyAfterMs: number;
}

export interface LoaderListener {
  record(record: SensorRecord): void;
  /** A frame or record that could not be decoded; the stream goes on. */
  decodeProblem(problem: DecodeError | FrameProblem): void;
  started(pid: number): void;
  /** The loader is gone; `restartInMs` is null when it will not be restarted (stopping). */
  exited(code: number | null, signal: NodeJS.Signals | null, stderrTail: readonly string[], restartInMs: number | null): void;
}

const STDERR_TAIL_LINES = 40;

/**
 * Runs the loader as a child, feeds its stream through the frame reader and the
 * decoder, and restarts it with exponential backoff when it dies. The dedup
 * epoch survives restarts (it is passed on the command line), and items the new
 * loader reports again are harmless: profiles are sets.
 */
export class LoaderSupervisor {
  private child: ChildProcessByStdio<Writable, Readable, Readable> | null = null;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private delayMs: number;
  private startedAt = 0;
  private epoch = 0;
  private restartCount = 0;

  constructor(
    private readonly options: LoaderOptions,
    private readonly listener: LoaderListener,
  ) {
    this.delayMs = options.restartDelayMs;
  }

  get restarts(): number {
    return this.restartCount;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  start(): void {
    this.stopping = false;
    this.spawnLoader();
  }

  /** Asks the loader for counters, per-cgroup losses and map sizes; they arrive as records. */
  requestStats(): void {
    this.command('stats');
  }

  /** Starts a new dedup epoch: items already reported are reported once more. */
  setEpoch(epoch: number): void {
    this.epoch = epoch;
    this.command(`epoch ${epoch}`);
  }

  async stop(timeoutMs = 3000): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  private command(line: string): void {
    const stdin = this.child?.stdin;
    if (stdin && stdin.writable) stdin.write(`${line}\n`);
  }

  private spawnLoader(): void {
    const args = [
      '--ngram',
      String(this.options.ngramLength),
      '--capability-mode',
      this.options.capabilityMode,
      '--ringbuf-bytes',
      String(this.options.ringbufBytes),
      '--epoch',
      String(this.epoch),
    ];
    const child = spawn(this.options.loaderPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.startedAt = Date.now();
    const stderrTail: string[] = [];
    let stderrRest = '';
    const reader = new FrameReader(
      (bytes) => {
        let record: SensorRecord;
        try {
          record = decodeRecord(bytes);
        } catch (error) {
          if (error instanceof DecodeError) {
            this.listener.decodeProblem(error);
            return;
          }
          throw error;
        }
        this.listener.record(record);
      },
      (problem) => this.listener.decodeProblem(problem),
    );
    child.stdout.on('data', (chunk: Buffer) => reader.push(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      const lines = (stderrRest + chunk).split('\n');
      stderrRest = lines.pop() ?? '';
      for (const line of lines) {
        stderrTail.push(line);
        if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
      }
    });
    // A write to a loader that just died must not take the exporter down.
    child.stdin.on('error', () => undefined);
    child.on('error', (error) => {
      stderrTail.push(`cannot run ${this.options.loaderPath}: ${error.message}`);
    });
    child.on('spawn', () => {
      if (child.pid !== undefined) this.listener.started(child.pid);
    });
    child.on('close', (code, signal) => {
      reader.end();
      if (stderrRest) stderrTail.push(stderrRest);
      if (this.child === child) this.child = null;
      if (this.stopping) {
        this.listener.exited(code, signal, stderrTail, null);
        return;
      }
      if (Date.now() - this.startedAt >= this.options.healthyAfterMs) this.delayMs = this.options.restartDelayMs;
      const delay = this.delayMs;
      this.delayMs = Math.min(this.delayMs * 2, this.options.maxRestartDelayMs);
      this.listener.exited(code, signal, stderrTail, delay);
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        if (this.stopping) return;
        this.restartCount++;
        this.spawnLoader();
      }, delay);
    });
  }
}
