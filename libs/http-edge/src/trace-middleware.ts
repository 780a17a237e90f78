import type { NextFunction, Request, Response } from 'express';
import { Attr, contextFrom, inSpan, SpanName } from '@mgov/telemetry';

/** Continues the caller's W3C trace (the `traceparent` header) for the whole request. */
export function traceRequests(serviceName: string) {
  return (request: Request, response: Response, next: NextFunction) => {
    const parent = contextFrom({
      traceparent: request.header('traceparent') ?? null,
      tracestate: request.header('tracestate') ?? null,
    });
    void inSpan(SpanName.http(request.method, request.path), { [Attr.service]: serviceName }, () =>
      new Promise<void>((resolve) => {
        response.on('finish', () => resolve());
        response.on('close', () => resolve());
        next();
      }), parent);
  };
}
