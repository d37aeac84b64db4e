import { createServer, connect, type Socket } from 'node:net';

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
}

/**
 * A loopback TCP proxy a test can use to take a real dependency (database, emulator) out from
 * under a running app: `down()` resets every connection, open or new (a stopped server: calls
 * fail at once); `freeze()` keeps every connection open and accepts new ones, but forwards no
 * byte until `thaw()` (a hung server: calls wait).
 */
export async function startTcpProxy(targetHost: string, targetPort: number) {
  let up = true;
  let frozen = false;
  const pairs = new Set<Pair>();
  const link = ({ client, upstream }: Pair) => {
    client.pipe(upstream);
    upstream.pipe(client);
  };
  const hold = ({ client, upstream }: Pair) => {
    client.unpipe(upstream);
    upstream.unpipe(client);
    client.pause();
    upstream.pause();
  };
  const server = createServer((client) => {
    if (!up) {
      client.destroy();
      return;
    }
    const pair = { client, upstream: connect(targetPort, targetHost) };
    pairs.add(pair);
    if (frozen) hold(pair);
    else link(pair);
    const drop = () => {
      pair.client.destroy();
      pair.upstream.destroy();
      pairs.delete(pair);
    };
    pair.client.on('error', drop).on('close', drop);
    pair.upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  const destroyAll = () => {
    for (const { client, upstream } of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  return {
    port: address.port,
    down: (): void => {
      up = false;
      destroyAll();
    },
    up: (): void => {
      up = true;
    },
    freeze: (): void => {
      frozen = true;
      for (const pair of pairs) hold(pair);
    },
    thaw: (): void => {
      frozen = false;
      for (const pair of pairs) link(pair);
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
