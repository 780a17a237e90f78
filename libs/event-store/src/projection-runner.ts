import { createCheckpointStore, type CheckpointStore } from './checkpoint-store';
import type { EventStore } from './event-store';
import { pollLoop, type PollLoop, type PollLoopOptions } from './poll-loop';
import { projectionSubscriber, type Projection } from './projection';
import { START, type Checkpoint } from './stored-event';
import { checkpointAfter } from './stored-event-row';

export interface BatchResult {
  readonly handled: number;
  readonly checkpoint: Checkpoint;
}

/** Feeds one projection from an event store, batch by batch, each batch in one transaction. */
export interface ProjectionRunner {
  readonly projection: Projection;
  readonly subscriber: string;
  setup(): Promise<void>;
  /** Applies the next batch and moves the checkpoint in the same transaction. */
  runOnce(): Promise<BatchResult>;
  /** Runs batches until the log (below the in-flight fence) is exhausted; returns events handled. */
  catchUp(): Promise<number>;
  /** Empties the projection, moves its checkpoint back to START, and replays the whole log. */
  rebuild(): Promise<number>;
  /** Keeps catching up in the background; `notify()` wakes it early, `stop()` ends it. */
  start(options?: PollLoopOptions): PollLoop;
}

export interface ProjectionRunnerOptions {
  readonly batchSize?: number;
  readonly checkpoints?: CheckpointStore;
}

export function projectionRunner(store: EventStore, projection: Projection, options: ProjectionRunnerOptions = {}): ProjectionRunner {
  const batchSize = options.batchSize ?? 500;
  const checkpoints = options.checkpoints ?? createCheckpointStore(store.schema);
  const subscriber = projectionSubscriber(projection);
  const { db } = store;

  const runOnce = (): Promise<BatchResult> =>
    db.transaction(async (tx) => {
      const after = await checkpoints.claim(tx, subscriber);
      const events = await store.readAll(after, batchSize, tx);
      if (events.length === 0) return { handled: 0, checkpoint: after };
      if (projection.handleBatch) {
        await projection.handleBatch(tx, events);
      } else {
        for (const event of events) await projection.handle(tx, event);
      }
      const checkpoint = checkpointAfter(events[events.length - 1]);
      await checkpoints.store(tx, subscriber, checkpoint);
      return { handled: events.length, checkpoint };
    });

  const catchUp = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const { handled } = await runOnce();
      total += handled;
      if (handled < batchSize) return total;
    }
  };

  return {
    projection,
    subscriber,
    setup: () => db.transaction((tx) => projection.setup(tx)),
    runOnce,
    catchUp,
    async rebuild() {
      await db.transaction(async (tx) => {
        await checkpoints.claim(tx, subscriber);
        await projection.setup(tx);
        await projection.reset(tx);
        await checkpoints.store(tx, subscriber, START);
      });
      return catchUp();
    },
    start: (loopOptions) => pollLoop(async () => (await runOnce()).handled, loopOptions),
  };
}
