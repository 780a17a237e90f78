import { embeddedDatabase, type Database } from '@mgov/event-store';
import { embeddedBus, type MessageBus, type ReceivedMessage } from '@mgov/messaging';
import { BusTransport } from '../src/bus-transport';

async function eventually(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('BusTransport (NestJS microservice transport over the bus port)', () => {
  let db: Database;
  let bus: MessageBus;

  beforeEach(async () => {
    db = await embeddedDatabase('memory://');
    bus = embeddedBus(db, { schema: 'bus' });
  });
  afterEach(async () => {
    await bus.close();
    await db.close();
  });

  it('delivers nothing before listen, then every message of the group in order', async () => {
    const transport = new BusTransport(bus);
    const seen: string[] = [];
    transport.register({ groupId: 'g', topics: ['t'], fromBeginning: true, handle: async (m: ReceivedMessage) => void seen.push(m.value.toString()) });
    await bus.publish('t', [{ key: 'k', value: Buffer.from('one') }, { key: 'k', value: Buffer.from('two') }]);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toEqual([]);
    await new Promise<void>((resolve, reject) => transport.listen((error?: unknown) => (error ? reject(error) : resolve())));
    await eventually(() => seen.length === 2);
    expect(seen).toEqual(['one', 'two']);
    await transport.close();
  });

  it('redelivers a message whose handler failed (the bus keeps at-least-once)', async () => {
    const transport = new BusTransport(bus);
    let attempts = 0;
    transport.register({
      groupId: 'g2', topics: ['t2'], fromBeginning: true,
      handle: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('not yet');
      },
    });
    await new Promise<void>((resolve) => transport.listen(() => resolve()));
    await bus.publish('t2', [{ key: 'k', value: Buffer.from('x') }]);
    await eventually(() => attempts >= 2);
    await transport.close();
  });
});
