import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stub received. */
export interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: IncomingHttpHeaders;
  /** The JSON body, parsed; undefined when the body is empty or not JSON (see `raw`). */
  readonly body: unknown;
  /** Every query value, repeated names included (`query` keeps the last). */
  readonly queryAll: Record<string, string[]>;
  /** The body's exact bytes. */
  readonly raw: Buffer;
}

export interface Canned {
  readonly status: number;
  readonly body: unknown;
  /** Sent as they are, one write each, instead of `body` as JSON (Markdown, CSV, a streamed export). */
  readonly chunks?: readonly string[];
  readonly contentType?: string;
}

/** A stand-in for MGov in the CLI's unit tests: canned JSON per `METHOD /path`, every request recorded. */
export class StubServer {
  readonly requests: Recorded[] = [];
  private readonly routes = new Map<string, Canned>();
  private readonly server: Server;

  constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://stub');
        const raw = Buffer.concat(chunks);
        const text = raw.toString('utf8');
        const method = request.method ?? 'GET';
        const json = (request.headers['content-type'] ?? '').startsWith('application/json');
        const queryAll: Record<string, string[]> = {};
        for (const [key, value] of url.searchParams) (queryAll[key] ??= []).push(value);
        this.requests.push({
          method, path: url.pathname, query: Object.fromEntries(url.searchParams), queryAll, headers: request.headers, raw, body: text && json ? JSON.parse(text) : undefined,
        });
        const canned = this.routes.get(`${method} ${url.pathname}`) ?? { status: 404, body: { error: { code: 'HTTP.NOT_FOUND', message: `no stub for ${method} ${url.pathname}` } } };
        if (canned.chunks === undefined) {
          response.writeHead(canned.status, { 'content-type': 'application/json' }).end(JSON.stringify(canned.body));
          return;
        }
        response.writeHead(canned.status, { 'content-type': canned.contentType ?? 'text/plain' });
        for (const chunk of canned.chunks) response.write(chunk);
        response.end();
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  on(route: string, body: unknown, status = 200): this {
    this.routes.set(route, { status, body });
    return this;
  }

  /** A non-JSON answer, written chunk by chunk (chunked transfer encoding when more than one). */
  onRaw(route: string, chunks: readonly string[], contentType: string, status = 200): this {
    this.routes.set(route, { status, body: undefined, chunks, contentType });
    return this;
  }

  reset(): void {
    this.routes.clear();
    this.requests.length = 0;
  }

  start(): Promise<void> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }
}

/** A local URL where nothing listens: a port the OS handed out, then released. */
export async function closedUrl(): Promise<string> {
  const stub = new StubServer();
  await stub.start();
  const url = stub.url;
  await stub.stop();
  return url;
}
