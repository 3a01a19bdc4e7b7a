import { connect, type Socket } from 'node:net';
import type { Finding } from '../findings/finding.js';
import { DeliveryError } from './delivery-error.js';
import { hostPortEndpoint } from './endpoint.js';
import { formatSyslogMessage, frameOctetCounted, type SyslogFormat } from './syslog-message.js';
import type { SinkTransport } from './sink-transport.js';

function reason(error: Error): string {
  return (error as NodeJS.ErrnoException).code ?? error.message;
}

/**
 * RFC 6587 syslog over TCP with octet-counting framing, so a message may hold any byte. One
 * connection is kept open and reopened on the next batch after any failure; a batch that
 * failed mid-write is sent again whole, so a receiver may see a message twice, never a
 * message cut in half (a broken connection is never reused). "Sent" means the kernel took the
 * bytes: plain syslog has no acknowledgement.
 */
export class TcpSyslogTransport implements SinkTransport {
  readonly endpoint: string;
  private socket: Socket | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly format: SyslogFormat,
  ) {
    this.endpoint = hostPortEndpoint('tcp', host, port);
  }

  /** Whether a connection is open now; the next send opens one if not. */
  get connected(): boolean {
    return this.socket !== null;
  }

  async send(findings: readonly Finding[], signal: AbortSignal): Promise<void> {
    const frames = Buffer.concat(findings.map((f) => frameOctetCounted(formatSyslogMessage(f, this.format))));
    const socket = this.socket ?? (await this.connect(signal));
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        // A half-written frame would corrupt the stream: this connection is done.
        socket.destroy();
        reject(new DeliveryError(`${this.endpoint}: aborted while writing`, true));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      socket.write(frames, (error) => {
        signal.removeEventListener('abort', onAbort);
        if (error) {
          socket.destroy();
          reject(new DeliveryError(`${this.endpoint}: ${reason(error)}`, true));
        } else {
          resolve();
        }
      });
    });
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      // A peer that never acknowledges the FIN must not hold shutdown up.
      setTimeout(() => socket.destroy(), 1_000).unref();
    });
  }

  private connect(signal: AbortSignal): Promise<Socket> {
    return new Promise<Socket>((resolve, reject) => {
      const socket = connect({ host: this.host, port: this.port });
      const fail = (message: string): void => {
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        reject(new DeliveryError(`${this.endpoint}: ${message}`, true));
      };
      const onAbort = (): void => fail('aborted while connecting');
      const onError = (error: Error): void => fail(reason(error));
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('error', onError);
      socket.once('connect', () => {
        signal.removeEventListener('abort', onAbort);
        socket.off('error', onError);
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 30_000);
        socket.unref();
        // Receivers do not talk back; drain anything they send so the socket never stalls.
        socket.resume();
        socket.on('error', () => undefined);
        socket.on('close', () => {
          if (this.socket === socket) this.socket = null;
        });
        this.socket = socket;
        resolve(socket);
      });
    });
  }
}
