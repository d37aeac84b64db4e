import { METHODS } from 'node:http';
import { MethodNotAllowedException } from '@nestjs/common';
import type { Application, NextFunction, Request, Response } from 'express';
import { sendProblem } from '../errors/problem-details.filter.js';

/** What this middleware needs of an Express 5 router layer (router 2.x `Layer`). */
interface RouteLayer {
  readonly route: {
    readonly path: unknown;
    readonly methods: Readonly<Record<string, boolean | undefined>>;
  };
  match(path: string): unknown;
}

const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Path segments of a route that are literal text (not `:param` nor a wildcard). */
function literalSegments(layer: RouteLayer): number {
  const { path } = layer.route;
  if (typeof path !== 'string') return 0;
  return path.split('/').filter((s) => s !== '' && !/[:*{]/.test(s)).length;
}

/**
 * An endpoint's route. Nest mounts middleware (`forRoutes('*')`) as routes for every method
 * (Express's `app.all`): such a layer says nothing about the methods a path supports. An `@All()`
 * endpoint looks the same, and keeps working: with no other route on its path, nothing is refused.
 */
function isEndpoint(layer: unknown): layer is RouteLayer {
  const candidate = layer as Partial<RouteLayer> | null;
  if (typeof candidate?.match !== 'function' || typeof candidate.route?.methods !== 'object') {
    return false;
  }
  const { methods } = candidate.route;
  return !METHODS.every((method) => methods[method.toLowerCase()]);
}

/**
 * RFC 9110 §15.5.6: a method the resource a path names does not support answers 405 problem+json
 * with an `Allow` header listing those it does (OPTIONS: 204 with that header); a path no route
 * knows falls through to the 404 of Nest's not-found handler. The resource is the most literal
 * route matching the path: GET /images/upload-url is a 405 (that resource takes POST), not a
 * lookup of an image whose id is "upload-url". Installed before the
 * routes, it reads the app's route table (complete once the app is initialised): each request costs
 * one scan of the endpoint routes, as Express's own routing does.
 */
export function methodNotAllowed(
  app: Application,
  logger: Parameters<typeof sendProblem>[3],
): (req: Request, res: Response, next: NextFunction) => void {
  let routes: RouteLayer[] = [];
  let scannedLength = -1;
  const routeLayers = (): RouteLayer[] => {
    const stack: readonly unknown[] = app.router.stack;
    if (stack.length !== scannedLength) {
      routes = stack.filter(isEndpoint);
      scannedLength = stack.length;
    }
    return routes;
  };

  return (req, res, next) => {
    const method = req.method.toLowerCase();
    const matching: RouteLayer[] = [];
    for (const layer of routeLayers()) {
      try {
        if (layer.match(req.path)) matching.push(layer);
      } catch {
        // A malformed escape in the path: Express answers it (400) when it routes.
        next();
        return;
      }
    }
    // The resource a path names is its most literal route: /images/upload-url, not /images/:id.
    const best = Math.max(...matching.map(literalSegments));
    const resource = matching.filter((layer) => literalSegments(layer) === best);
    const handles = ({ route: { methods } }: RouteLayer) =>
      methods[method] ?? (method === 'head' && methods.get);
    if (resource.length === 0 || resource.some(handles)) {
      next();
      return;
    }
    const allowed = new Set(
      resource
        .flatMap(({ route: { methods } }) => Object.keys(methods).filter((m) => methods[m]))
        .map((m) => m.toUpperCase()),
    );
    if (allowed.has('GET')) allowed.add('HEAD');
    allowed.add('OPTIONS');
    const allow = [...allowed]
      .sort((a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b))
      .join(', ');
    res.setHeader('Allow', allow);
    if (method === 'options') {
      res.status(204).end();
      return;
    }
    sendProblem(
      new MethodNotAllowedException(`${req.method} is not supported here; use ${allow}`),
      req,
      res,
      logger,
    );
  };
}
