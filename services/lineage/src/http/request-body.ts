import { finished, PassThrough } from 'node:stream';
import type { Request } from 'express';
import { DomainError } from '@mgov/decider';

/**
 * The raw request body as a stream of its own. Handing the request itself to a pipeline would let a
 * refusal destroy it, and with it the socket, before the error response is written; this way a
 * refusal only stops reading, and `discardRest` drains what the client still sends, so it gets the
 * answer. A client that breaks off the upload fails the stream (and so the staging) with its error.
 */
export function requestBody(request: Request): { stream: PassThrough; discardRest(): void } {
  if (request.readableEnded || request.body !== undefined) {
    throw new DomainError('LINEAGE.UNSUPPORTED_MEDIA_TYPE', 'send the file as the raw body with Content-Type text/csv, application/x-ndjson, application/vnd.apache.parquet or application/octet-stream, not application/json', 400);
  }
  const stream = new PassThrough({ highWaterMark: 1024 * 1024 });
  finished(request, (error) => {
    if (error) stream.destroy(new DomainError('LINEAGE.UPLOAD_INTERRUPTED', `the upload broke off before its end (${error.message}); send it again`, 400));
  });
  request.pipe(stream);
  return {
    stream,
    discardRest() {
      request.unpipe(stream);
      request.resume();
    },
  };
}

/** A policy sent as JSON in a header with the upload; absent: undefined. */
export function jsonHeader(request: Request, name: string): unknown {
  const value = request.headers[name];
  if (value === undefined) return undefined;
  try {
    return JSON.parse(Array.isArray(value) ? value[0]! : value);
  } catch {
    throw new DomainError('LINEAGE.INVALID_POLICY', `the ${name} header must hold the policy as JSON`, 400);
  }
}

/** A query parameter that may repeat (?source=a&source=b), as a list. */
export function listParam(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string' && item !== '');
}
