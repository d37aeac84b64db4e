import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  Controller,
  Delete,
  Get,
  Logger,
  Module,
  Param,
  Post,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { methodNotAllowed } from './method-not-allowed.js';

@Controller('things')
class ThingsController {
  @Get() list() {
    return [];
  }
  @Post() create() {
    return {};
  }
  @Post('special') special() {
    return { special: true };
  }
  @Get(':id') get(@Param('id') id: string) {
    return { id };
  }
  @Delete(':id') remove() {
    return undefined;
  }
}

/** A middleware on every route, as nestjs-pino mounts its own: routes for every method. */
@Module({ controllers: [ThingsController] })
class ThingsModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer
      .apply((_req: Request, _res: Response, next: NextFunction) => {
        next();
      })
      .forRoutes('*');
  }
}

interface Answer {
  readonly status: number;
  readonly allow: string | undefined;
  readonly type: string | undefined;
  readonly body: string;
}

describe('405 for a method the router does not route', () => {
  let app: NestExpressApplication;
  let port: number;

  before(async () => {
    app = await NestFactory.create<NestExpressApplication>(ThingsModule, { logger: false });
    app.use(methodNotAllowed(app.getHttpAdapter().getInstance(), new Logger('test')));
    await app.listen(0, '127.0.0.1');
    port = (app.getHttpServer().address() as AddressInfo).port;
  });
  after(() => app.close());

  // node:http, not fetch: fetch refuses TRACE.
  const send = (method: string, path: string) =>
    new Promise<Answer>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            allow: res.headers.allow,
            type: res.headers['content-type'],
            body,
          });
        });
      });
      req.on('error', reject);
      req.end();
    });

  it('answers 405 problem+json with Allow on a known path', async () => {
    for (const method of ['TRACE', 'PUT', 'PATCH', 'DELETE']) {
      const answer = await send(method, '/things');
      assert.equal(answer.status, 405, method);
      assert.equal(answer.allow, 'GET, HEAD, POST, OPTIONS');
      assert.match(answer.type ?? '', /^application\/problem\+json/);
      assert.equal((JSON.parse(answer.body) as { code: string }).code, 'method-not-allowed');
    }
    assert.equal((await send('TRACE', '/things/42')).allow, 'GET, HEAD, DELETE, OPTIONS');
  });

  it('takes the most literal route matching the path for the resource', async () => {
    const answer = await send('GET', '/things/special');
    assert.equal(answer.status, 405, 'not a lookup of the thing "special"');
    assert.equal(answer.allow, 'POST, OPTIONS');
    assert.equal((await send('PUT', '/things/special')).allow, 'POST, OPTIONS');
  });

  it('answers OPTIONS with 204 and the Allow header', async () => {
    const answer = await send('OPTIONS', '/things/42');
    assert.equal(answer.status, 204);
    assert.equal(answer.allow, 'GET, HEAD, DELETE, OPTIONS');
  });

  it('routes what the router routes, HEAD included', async () => {
    assert.equal((await send('GET', '/things')).status, 200);
    assert.equal((await send('HEAD', '/things/42')).status, 200);
    assert.equal((await send('POST', '/things/special')).status, 201);
    assert.equal((await send('DELETE', '/things/42')).status, 200);
  });

  it('keeps 404 for a path no route knows', async () => {
    for (const method of ['GET', 'TRACE', 'OPTIONS']) {
      const answer = await send(method, '/nothing/here');
      assert.equal(answer.status, 404, method);
      assert.equal(answer.allow, undefined);
    }
  });
});
