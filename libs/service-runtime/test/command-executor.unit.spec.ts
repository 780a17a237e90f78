import { avroCodec, type MonitoringPolicyChanged } from '@mgov/contracts';
import type { CommandMetadata, Decider } from '@mgov/decider';
import { createEventStore, embeddedDatabase, type EventStore, migrate } from '@mgov/event-store';
import { CommandExecutor, type StreamStore } from '../src';

/** A counter on a real event type: each Count command records the next number. */
type Count = { readonly type: 'Count'; readonly metadata: CommandMetadata };
const counter: Decider<Count, MonitoringPolicyChanged, number> = {
  initialState: () => 0,
  decide: (_command, state) => [{ type: 'MonitoringPolicyChanged', data: { modelName: 'm', policyVersion: state + 1, policy: '{}', change: '{}', changedBy: 'test' } }],
  evolve: (_state, event) => event.data.policyVersion,
};
const metadata: CommandMetadata = { actor: { id: 'test', role: 'service' }, now: 1, correlationId: 'c' };
const count = (executor: CommandExecutor, streamId: string, tx?: Parameters<EventStore['append']>[3]) =>
  executor.execute({ streamId, decider: counter, command: { type: 'Count', metadata }, links: () => [], tx });

describe('CommandExecutor keeps folded state between commands', () => {
  let store: EventStore;
  let read: number;
  let counting: StreamStore;
  const numbers = async (streamId: string) => (await store.readStream(streamId)).map((e) => (avroCodec().decodeEvent(e.data).data as MonitoringPolicyChanged['data']).policyVersion);

  beforeAll(async () => {
    const db = await embeddedDatabase('memory://');
    await migrate(db, 'executor_test');
    store = createEventStore(db, 'executor_test');
    // The real store, counting the events it hands back.
    counting = {
      db: store.db, schema: store.schema, append: store.append.bind(store),
      readStream: async (streamId, options) => {
        const events = await store.readStream(streamId, options);
        read += events.length;
        return events;
      },
    };
  });
  beforeEach(() => {
    read = 0;
  });

  it('reads a long stream once, then only what is new: 300 commands read 300 events, not 45,000', async () => {
    const executor = new CommandExecutor(counting, avroCodec());
    for (let i = 0; i < 300; i += 1) await count(executor, 'long');
    expect(await numbers('long')).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(read).toBeLessThanOrEqual(300);
  });

  it('sees what another writer appended since, and decides on it', async () => {
    const mine = new CommandExecutor(counting, avroCodec());
    const theirs = new CommandExecutor(store, avroCodec());
    await count(mine, 'shared');
    await count(theirs, 'shared');
    await count(theirs, 'shared');
    await count(mine, 'shared');
    expect(await numbers('shared')).toEqual([1, 2, 3, 4]);
  });

  it('forgets what a caller\'s transaction appended: it may roll back', async () => {
    const executor = new CommandExecutor(counting, avroCodec());
    await count(executor, 'rolled');
    await store.db.transaction(async (tx) => {
      await count(executor, 'rolled', tx);
      throw new Error('the caller fails after the command');
    }).catch(() => undefined);
    await count(executor, 'rolled');
    expect(await numbers('rolled')).toEqual([1, 2]);
  });
});
