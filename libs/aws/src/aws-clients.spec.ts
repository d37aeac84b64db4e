import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { after, describe, it } from 'node:test';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { AppConfig } from '#libs/config';
import { createAwsClients, destroyAwsClients, longPollWaitMs } from './aws-clients.js';
import { isAwsUnavailable } from './aws-errors.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A loopback HTTP server standing in for AWS. */
async function fakeAws(handler: Handler): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return { url: `http://127.0.0.1:${address.port}`, server };
}

function clientsFor(url: string, env: NodeJS.ProcessEnv = {}) {
  return createAwsClients(AppConfig.fromEnv({ AWS_ENDPOINT_URL: url, ...env }).aws);
}

const receiveRequest = (body: unknown) => ({
  headers: { 'x-amz-target': 'AmazonSQS.ReceiveMessage' } as Record<string, string>,
  body,
});

describe('AWS clients', () => {
  const servers: Server[] = [];
  after(() => {
    for (const server of servers) server.closeAllConnections();
    for (const server of servers) server.close();
  });

  it('gives an SQS long poll its wait on top of the request timeout', () => {
    const wait = (body: unknown) =>
      longPollWaitMs(receiveRequest(body) as Parameters<typeof longPollWaitMs>[0]);
    assert.equal(wait('{"QueueUrl":"q","WaitTimeSeconds":7}'), 7000);
    assert.equal(wait(new TextEncoder().encode('{"WaitTimeSeconds":1}')), 1000);
    assert.equal(
      wait('{"QueueUrl":"q"}'),
      20_000,
      "without one, the queue's default: at most 20 s",
    );
    assert.equal(
      longPollWaitMs({ headers: { 'x-amz-target': 'AmazonSQS.SendMessage' }, body: '{}' } as never),
      undefined,
    );
  });

  it('fails a call to a service that never answers within attempts x request timeout', async () => {
    // Accepts the connection and the request, answers nothing: a frozen service.
    const { url, server } = await fakeAws(() => undefined);
    servers.push(server);
    const clients = clientsFor(url, {
      AWS_CONNECT_TIMEOUT_MS: '200',
      AWS_REQUEST_TIMEOUT_MS: '500',
    });
    const started = Date.now();
    const error = await clients.dynamo.send(new ListTablesCommand({})).then(
      () => assert.fail('expected a timeout'),
      (e: unknown) => e,
    );
    const elapsed = Date.now() - started;
    destroyAwsClients(clients);
    assert.equal((error as Error).name, 'TimeoutError');
    assert.ok(isAwsUnavailable(error));
    assert.equal((error as { $metadata?: { attempts?: number } }).$metadata?.attempts, 3);
    assert.ok(elapsed >= 1400 && elapsed < 3 * 500 + 3000, `${elapsed} ms`);
  });

  it('lets an SQS long poll wait longer than the request timeout', async () => {
    const { url, server } = await fakeAws((_request, response) => {
      setTimeout(() => {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        response.end('{"Messages":[]}');
      }, 1200);
    });
    servers.push(server);
    const clients = clientsFor(url, {
      AWS_CONNECT_TIMEOUT_MS: '200',
      AWS_REQUEST_TIMEOUT_MS: '500',
    });
    const started = Date.now();
    const result = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: `${url}/1/q`, WaitTimeSeconds: 1 }),
    );
    destroyAwsClients(clients);
    assert.deepEqual(result.Messages ?? [], []);
    assert.ok(Date.now() - started < 2500, 'one attempt');
  });
});
