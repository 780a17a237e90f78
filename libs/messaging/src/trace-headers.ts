import { type Context, context, defaultTextMapGetter, defaultTextMapSetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

// A propagator of our own, so `traceparent` travels even where no SDK registered a global one.
const w3c = new W3CTraceContextPropagator();

/** `headers` plus the W3C `traceparent` / `tracestate` of `ctx` (default: the active context). */
export function injectTraceHeaders(
  headers: Readonly<Record<string, string>> = {},
  ctx: Context = context.active(),
): Record<string, string> {
  const carrier: Record<string, string> = { ...headers };
  w3c.inject(ctx, carrier, defaultTextMapSetter);
  return carrier;
}

/** A context whose remote parent is the span named by the headers' `traceparent`, if any. */
export function extractTraceContext(headers: Readonly<Record<string, string>>, ctx: Context = context.active()): Context {
  return w3c.extract(ctx, headers, defaultTextMapGetter);
}

/** Outgoing headers: a message's own trace headers win; otherwise the active span's are added. */
export function outgoingHeaders(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  if (headers?.traceparent) return { ...headers };
  return injectTraceHeaders(headers);
}
