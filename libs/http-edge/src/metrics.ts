import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, register, Registry } from 'prom-client';

/** Prometheus metrics of one process: Node defaults plus HTTP requests by route and status. */
export function httpMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'mgov_' });
  const requests = new Counter({
    name: 'mgov_http_requests_total', help: 'HTTP requests by method, route and status', labelNames: ['method', 'route', 'status'], registers: [registry],
  });
  const duration = new Histogram({
    name: 'mgov_http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route'], registers: [registry],
  });
  const middleware = (request: Request, response: Response, next: NextFunction) => {
    const stop = duration.startTimer();
    response.on('finish', () => {
      // The matched route pattern, never the raw path: ids must not explode label cardinality.
      const route = (request.route?.path as string | undefined) ?? 'unmatched';
      requests.inc({ method: request.method, route, status: String(response.statusCode) });
      stop({ method: request.method, route });
    });
    next();
  };
  const handler = async (_request: Request, response: Response) => {
    response.setHeader('content-type', registry.contentType);
    // Services register their own gauges (monitoring's drift, performance and bias) on the process registry.
    response.send(`${await registry.metrics()}\n${await register.metrics()}`);
  };
  return { registry, middleware, handler };
}
