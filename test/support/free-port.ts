import { createServer } from 'node:net';

/**
 * Asks the kernel for an unused TCP port on `host`. The port is released before returning, so
 * another process can take it in between; launchers retry on "address already in use".
 */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error(`findFreePort: unexpected listen address ${String(address)} on ${host}`));
        return;
      }
      const { port } = address;
      server.close((error) => (error ? reject(error) : resolve(port)));
    });
  });
}
