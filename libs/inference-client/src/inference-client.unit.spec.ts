import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InferenceClient } from './inference-client';

// The HTTP transport against a local server that records what MGov would receive.
describe('InferenceClient over HTTP', () => {
  let server: Server;
  let url: string;
  const received: Array<{ path: string; auth: string | undefined; body: Record<string, unknown[]> }> = [];
  const bodyOf = (request: IncomingMessage) => new Promise<string>((resolve) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => resolve(text));
  });

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      const body = JSON.parse(await bodyOf(request)) as Record<string, unknown[]>;
      received.push({ path: request.url!, auth: request.headers.authorization, body });
      response.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: Object.values(body)[0]!.length }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => received.splice(0));

  it('batches predictions and outcomes to the monitoring endpoints, with the token', async () => {
    const client = new InferenceClient({ transport: { kind: 'http', url, token: 'mgov_k_s' }, batchSize: 2, lingerMs: 10_000 });
    for (let i = 0; i < 3; i += 1) await client.predict({ predictionId: `p${i}`, modelName: 'credit', modelVersion: 1, numericFeatures: { income: i } });
    await client.outcome({ predictionId: 'p0', groundTruth: '1' });
    await client.close();
    expect(received.map((r) => [r.path, r.auth, Object.values(r.body)[0]!.length])).toEqual(expect.arrayContaining([
      ['/monitoring/predictions', 'Bearer mgov_k_s', 2], ['/monitoring/predictions', 'Bearer mgov_k_s', 1], ['/monitoring/outcomes', 'Bearer mgov_k_s', 1],
    ]));
    expect(received[0]!.body.predictions![0]).toEqual(expect.objectContaining({ predictionId: 'p0', modelName: 'credit', numericFeatures: { income: 0 }, groundTruth: null }));
  });

  it('refuses a prediction that does not match the contract at the call, and sends nothing', async () => {
    const client = new InferenceClient({ transport: { kind: 'http', url, token: 't' } });
    expect(() => client.predict({ predictionId: 'p', modelName: 'credit', modelVersion: 1.5 })).toThrow(expect.objectContaining({ code: 'CONTRACTS.INVALID_EVENT' }));
    await client.close();
    expect(received).toEqual([]);
  });
});
