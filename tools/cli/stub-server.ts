import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stub received. */
export interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

export interface Canned {
  readonly status: number;
  readonly body: unknown;
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
        const text = Buffer.concat(chunks).toString('utf8');
        const method = request.method ?? 'GET';
        this.requests.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: request.headers, body: text ? JSON.parse(text) : undefined });
        const canned = this.routes.get(`${method} ${url.pathname}`) ?? { status: 404, body: { error: { code: 'HTTP.NOT_FOUND', message: `no stub for ${method} ${url.pathname}` } } };
        response.writeHead(canned.status, { 'content-type': 'application/json' }).end(JSON.stringify(canned.body));
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
