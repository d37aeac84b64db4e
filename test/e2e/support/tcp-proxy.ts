import { createServer, connect, type Socket } from 'node:net';

/**
 * A loopback TCP proxy a test can switch off, to take a real dependency (database, emulator)
 * "down" under a running app: while down it resets every connection, so calls fail for real.
 */
export async function startTcpProxy(targetHost: string, targetPort: number) {
  let up = true;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  const destroyAll = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  return {
    port: address.port,
    down(): void {
      up = false;
      destroyAll();
    },
    up(): void {
      up = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        destroyAll();
        server.close(() => {
          resolve();
        });
      }),
  };
}
