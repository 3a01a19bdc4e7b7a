import { createSocket } from 'node:dgram';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { parseRfc5424, splitOctetCounted, type ParsedSyslogMessage } from './rfc5424-parser.js';

export interface SyslogListener {
  readonly port: number;
  readonly messages: ParsedSyslogMessage[];
  /** Raw datagrams (UDP) or frames (TCP), before parsing. */
  readonly raw: Buffer[];
  close(): Promise<void>;
}

/** A real UDP syslog receiver on loopback: every datagram must be one RFC 5424 message. */
export async function startUdpSyslogListener(): Promise<SyslogListener> {
  const socket = createSocket('udp4');
  const messages: ParsedSyslogMessage[] = [];
  const raw: Buffer[] = [];
  socket.on('message', (datagram) => {
    raw.push(datagram);
    messages.push(parseRfc5424(datagram));
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    messages,
    raw,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

export interface TcpSyslogListener extends SyslogListener {
  /** Connections accepted so far. */
  readonly connections: number;
  /** Drops every open connection, as a restarting receiver would. */
  dropConnections(): void;
  /** Stops listening and drops connections; `listen()` starts again on the same port. */
  stop(): Promise<void>;
  listen(): Promise<void>;
}

/** A real TCP syslog receiver on loopback that decodes RFC 6587 octet-counted frames. */
export async function startTcpSyslogListener(): Promise<TcpSyslogListener> {
  const messages: ParsedSyslogMessage[] = [];
  const raw: Buffer[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      const { messages: frames, rest } = splitOctetCounted(Buffer.concat([pending, chunk]));
      pending = rest;
      for (const frame of frames) {
        raw.push(frame);
        messages.push(parseRfc5424(frame));
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  let port = 0;
  const listen = async (): Promise<void> => {
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  };
  const dropConnections = (): void => {
    for (const socket of sockets) socket.destroy();
  };
  const stop = (): Promise<void> =>
    new Promise<void>((resolve) => {
      dropConnections();
      server.close(() => resolve());
    });
  await listen();
  return {
    get port() {
      return port;
    },
    get connections() {
      return connections;
    },
    messages,
    raw,
    dropConnections,
    stop,
    listen,
    close: stop,
  };
}
