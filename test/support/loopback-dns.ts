import { createSocket } from 'node:dgram';

export interface LoopbackDns {
  close(): Promise<void>;
}

/**
 * A DNS server on 127.0.0.1:53 that answers every query with NXDOMAIN, so resolvers
 * pointed at it (busybox nslookup) send a real query and exit at once.
 */
export async function startLoopbackDns(): Promise<LoopbackDns> {
  const socket = createSocket('udp4');
  socket.on('message', (query, peer) => {
    const reply = Buffer.from(query);
    reply.writeUInt16BE(0x8183, 2); // a response, recursion available, NXDOMAIN
    socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(53, '127.0.0.1', () => resolve());
  });
  return { close: () => new Promise((resolve) => socket.close(() => resolve())) };
}
