import { type Context, context, type ContextManager, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { extractTraceContext, injectTraceHeaders } from '../src';
import { headersToStrings, nextOffset } from '../src/kafka/kafka-message';
import { outgoingHeaders } from '../src/trace-headers';

const span = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED };
const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace headers', () => {
  it('inject a W3C traceparent next to the existing headers, without changing them', () => {
    const original = { 'mgov-event-type': 'Noted' };
    expect(injectTraceHeaders(original, trace.setSpanContext(ROOT_CONTEXT, span))).toEqual({ 'mgov-event-type': 'Noted', traceparent });
    expect(original).toEqual({ 'mgov-event-type': 'Noted' });
  });

  it('add nothing without a span', () => {
    expect(injectTraceHeaders({ a: 'b' }, ROOT_CONTEXT)).toEqual({ a: 'b' });
  });

  it('extract the remote parent span', () => {
    expect(trace.getSpanContext(extractTraceContext({ traceparent }))).toEqual({ ...span, isRemote: true });
    expect(trace.getSpanContext(extractTraceContext({}))).toBeUndefined();
  });

  it('stamp outgoing messages with the active span unless they carry their own', () => {
    context.setGlobalContextManager(new SynchronousContextManager());
    try {
      const active = trace.setSpanContext(ROOT_CONTEXT, span);
      expect(context.with(active, () => outgoingHeaders(undefined))).toEqual({ traceparent });
      const own = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      expect(context.with(active, () => outgoingHeaders({ traceparent: own }))).toEqual({ traceparent: own });
    } finally {
      context.disable();
    }
  });
});

describe('kafka message conversion', () => {
  it('turns Buffer headers into strings, the last of a repeated header winning', () => {
    expect(headersToStrings({ a: Buffer.from('x'), b: 'y', c: [Buffer.from('1'), Buffer.from('2')], d: undefined })).toEqual({ a: 'x', b: 'y', c: '2' });
  });

  it('commits the offset after the handled one, beyond 2^53', () => {
    expect(nextOffset('9007199254740993')).toBe('9007199254740994');
  });
});

/** Just enough of a context manager for synchronous `context.with` (no SDK needed). */
class SynchronousContextManager implements ContextManager {
  private current: Context = ROOT_CONTEXT;
  active(): Context {
    return this.current;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    const previous = this.current;
    this.current = ctx;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.current = previous;
    }
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.current = ROOT_CONTEXT;
    return this;
  }
}
