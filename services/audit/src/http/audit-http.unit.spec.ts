import { get, createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REQUIRED_ROLES } from '@mgov/http-edge';
import { AuditController } from './audit.controller';
import { responseSink } from './response-sink';

describe('audit HTTP edge', () => {
  it('requires the governance-auditor role on every route', () => {
    const routes = Object.getOwnPropertyNames(AuditController.prototype).filter((name) => name !== 'constructor')
      .map((name) => AuditController.prototype[name as keyof AuditController] as unknown as object)
      .filter((handler) => Reflect.getMetadata('path', handler) !== undefined);
    expect(routes).toHaveLength(9);
    for (const handler of routes) expect(Reflect.getMetadata(REQUIRED_ROLES, handler)).toEqual(['governance-auditor']);
  });

  describe('streamed export', () => {
    let server: Server;
    let outcome: Promise<unknown>;
    const CHUNK = 'x'.repeat(64 * 1024);
    beforeEach(async () => {
      server = createServer((_request, response) => {
        const sink = responseSink(response);
        outcome = (async () => {
          sink.begin('application/x-ndjson; charset=utf-8', 'export.jsonl');
          for (let i = 0; i < 200; i++) await sink.write(`${CHUNK}\n`);
          sink.end();
        })().then(() => 'ended', (error: Error) => error.message);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const request = (onResponse: (response: IncomingMessage) => void) =>
      get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, onResponse);

    it('waits for a slow reader and delivers every chunk', async () => {
      const received = await new Promise<{ bytes: number; type: string | undefined; disposition: string | undefined }>((resolve) => {
        request((response) => {
          let bytes = 0;
          response.pause();
          const timer = setInterval(() => response.read(), 1); // a slow reader: the server must wait for drain
          response.on('readable', () => undefined);
          response.on('data', (chunk: Buffer) => (bytes += chunk.length));
          response.resume();
          response.on('end', () => {
            clearInterval(timer);
            resolve({ bytes, type: response.headers['content-type'], disposition: response.headers['content-disposition'] });
          });
        });
      });
      expect(received).toEqual({ bytes: 200 * (CHUNK.length + 1), type: 'application/x-ndjson; charset=utf-8', disposition: 'attachment; filename="export.jsonl"' });
      expect(await outcome).toBe('ended');
    });

    it('stops writing when the client goes away', async () => {
      await new Promise<void>((resolve) => {
        const client = request((response) => response.once('data', () => {
          client.destroy();
          resolve();
        }));
      });
      expect(await outcome).toBe('the client closed the connection during the export');
    });
  });
});
