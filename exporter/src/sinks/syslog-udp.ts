import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import type { Finding } from '../findings/finding.js';
import { DeliveryError } from './delivery-error.js';
import { hostPortEndpoint } from './endpoint.js';
import { formatSyslogMessage, type SyslogFormat } from './syslog-message.js';
import type { SinkTransport } from './sink-transport.js';

/**
 * RFC 5426 syslog: one message per datagram, each bounded by `format.maxBytes` (RFC 5426
 * asks receivers to take 2048 octets; 1180 is safe on any IPv6 path). UDP cannot tell whether
 * anyone received a message: "sent" means the kernel took it.
 */
export class UdpSyslogTransport implements SinkTransport {
  readonly endpoint: string;
  private socket: Socket | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly format: SyslogFormat,
  ) {
    this.endpoint = hostPortEndpoint('udp', host, port);
  }

  async send(findings: readonly Finding[], signal: AbortSignal): Promise<void> {
    const socket = this.ensureSocket();
    for (const finding of findings) {
      if (signal.aborted) throw new DeliveryError(`${this.endpoint}: aborted`, true);
      const message = formatSyslogMessage(finding, this.format);
      await new Promise<void>((resolve, reject) => {
        socket.send(message, this.port, this.host, (error) =>
          error ? reject(new DeliveryError(`${this.endpoint}: ${(error as NodeJS.ErrnoException).code ?? error.message}`, true)) : resolve(),
        );
      });
    }
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private ensureSocket(): Socket {
    if (!this.socket) {
      const socket = createSocket(isIP(this.host) === 6 ? 'udp6' : 'udp4');
      // Errors also reach the send callbacks; this listener only keeps them from crashing the daemon.
      socket.on('error', () => undefined);
      socket.unref();
      this.socket = socket;
    }
    return this.socket;
  }
}
