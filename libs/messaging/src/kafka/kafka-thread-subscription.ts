import { existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '@mgov/telemetry';
import type { Subscription, SubscriptionOptions } from '../message-bus';
import { backoffMs, pause } from '../redelivery';
import type { FetchThreadSettings, FromFetchThread, ToFetchThread } from './fetch-thread-protocol';
import { batchOfParts, lastOf, type ReceivedBatch } from '../received-batch';
import { type PackedBatch, packedPart } from './packed-batch';

/**
 * Batches a fetch thread may hand over before the owner acknowledged them (handled, or taken and
 * stored): one in hand, one being stored, two waiting; each holds a fetch's bytes. Those waiting
 * when the handler is free are handed to it together: one handler call for several partitions' fetches.
 */
const AHEAD = 4;
const STOP_TIMEOUT_MS = 30_000;
/** A thread that died is replaced after this pause (and again, if the new one cannot join either). */
const RESTART_PAUSE_MS = 1_000;
/**
 * A batch kafkajs decodes (a transactional one; the others stay as bytes, see
 * in-place-record-batches) is a few hundred bytes of objects per message whatever its size: an
 * 8 MiB fetch of 60-byte messages needed ~100 MB when kafkajs decoded every batch (48 MB ran out,
 * and the thread died on every retry of the same fetch). A cap, not a working size.
 */
const THREAD_HEAP_MB = 256;
/**
 * With batches kept as bytes the thread makes little garbage per message: 8 MB against the
 * 32 MB that kafkajs's objects needed (bench:monitoring back to back: 178-188k against 173-175k
 * events/s, CPU per event 6.5-6.8 against 6.9-7.0 µs).
 */
const THREAD_YOUNG_MB = 8;

/**
 * Taken batches being stored while the next is handled: one is enough for storing to overlap
 * handling; a second lets the handler run on while a slow store finishes.
 */
const MAX_UNSTORED = 2;

/** A fetched batch, waiting for the handler. */
interface Fetched {
  readonly thread: FetchThread;
  readonly id: number;
  readonly batch: PackedBatch;
}

/** Fetched batches handed over together, and the batch they make. */
interface Handing {
  readonly taken: readonly Fetched[];
  readonly received: ReceivedBatch;
}

/** A batch the handler took, while it is stored; `settled` resolves once it is or failed (never rejects). */
interface Unstored extends Handing {
  state: 'storing' | 'stored' | 'failed';
  readonly settled: Promise<void>;
}

/** One fetch thread: a worker, and whether it is gone. */
interface FetchThread {
  readonly worker: Worker;
  readonly exit: Promise<void>;
  exited: boolean;
}

/**
 * A batch subscription whose fetching runs on a worker thread (kafka-fetch-thread): kafkajs fetches
 * and decodes the next batches while this thread handles the current one, which on one thread
 * happen one after the other. Semantics as kafkaSubscription's batch mode: batches in order per
 * partition, retried whole until handled, their offsets committed only after. A thread that dies
 * is replaced; what it fetched and did not commit comes again (at least once).
 */
export async function kafkaThreadSubscription(
  kafka: Omit<FetchThreadSettings, 'groupId' | 'topics' | 'fromBeginning' | 'ahead' | 'nice'>,
  options: SubscriptionOptions & { readonly handleBatch: NonNullable<SubscriptionOptions['handleBatch']> },
  settings: {
    readonly retryBackoffMs: number;
    readonly log: Logger;
    /** The thread's entry (tests); kafka-fetch-thread beside this file by default. */
    readonly entry?: string;
    /** How long `stop` waits for taken batches to be stored, and then for the thread to leave its group (30 s by default). */
    readonly stopTimeoutMs?: number;
  },
): Promise<Subscription> {
  const log = settings.log.child({ groupId: options.groupId, fetchThread: true });
  const stopping = new AbortController();
  const data: FetchThreadSettings = {
    ...kafka, groupId: options.groupId, topics: [...options.topics], fromBeginning: options.fromBeginning ?? false, ahead: AHEAD,
    ...(options.fetchThreadNice ? { nice: options.fetchThreadNice } : {}),
  };
  const waiting: Fetched[] = [];
  /** Batches handed over and to be handed over again (a failure), oldest first: before any waiting. */
  const again: Handing[] = [];
  /** Batches the handler took and is storing, oldest first. */
  const unstored: Unstored[] = [];
  /** Wakes the handling loop while it waits for a store, when a batch arrives. */
  let arrived: (() => void) | undefined;
  let handling: Promise<void> | undefined;
  let current: FetchThread | undefined;
  let joinedOnce = false;

  /** A new thread, current from now on; resolves once it joined the group. */
  function startThread(): Promise<void> {
    const worker = new Worker(settings.entry ?? threadEntry(), {
      workerData: data, execArgv: threadExecArgv(settings.entry), resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB, maxYoungGenerationSizeMb: THREAD_YOUNG_MB },
    });
    let markExited = () => undefined as void;
    const thread: FetchThread = { worker, exited: false, exit: new Promise<void>((resolve) => (markExited = resolve)) };
    worker.once('exit', () => {
      thread.exited = true;
      markExited();
    });
    current = thread;
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromFetchThread) => {
        if (message.kind === 'joined') {
          joinedOnce = true;
          resolve();
        } else if (message.kind === 'failed') reject(new Error(`the Kafka fetch thread could not start: ${message.message}`));
        else if (message.kind === 'batch') {
          if (thread !== current) return;
          waiting.push({ thread, id: message.id, batch: message.batch });
          arrived?.();
          handling ??= handleWaiting().finally(() => (handling = undefined));
        }
        // It committed and left its group: nothing of it is needed any more.
        else void worker.terminate();
      });
      worker.on('error', (error) => {
        log.error({ err: error }, 'the Kafka fetch thread failed');
        reject(error);
      });
      void thread.exit.then(() => {
        reject(new Error('the Kafka fetch thread exited before joining its group'));
        if (!stopping.signal.aborted && thread === current && joinedOnce) void replace(thread);
      });
    });
  }

  /** The thread died: its batches not begun are dropped (not committed, the group fetches them again), and another starts. */
  async function replace(dead: FetchThread): Promise<void> {
    log.error('the Kafka fetch thread stopped unexpectedly; starting another (what it fetched and did not commit comes again)');
    for (let i = waiting.length - 1; i >= 0; i -= 1) if (waiting[i]!.thread === dead) waiting.splice(i, 1);
    // Its batches to come again too: the new thread fetches from the last commit.
    for (let i = again.length - 1; i >= 0; i -= 1) if (again[i]!.taken.some(({ thread }) => thread === dead)) again.splice(i, 1);
    await handling;
    await pause(RESTART_PAUSE_MS, stopping.signal);
    if (stopping.signal.aborted) return;
    // A thread that cannot join exits in turn, and is replaced in turn.
    startThread().catch((error: unknown) => log.error({ err: error }, 'the replacement Kafka fetch thread did not join its group'));
  }

  /**
   * Until none is waiting: all waiting batches to the handler at once (in arrival order, so each
   * partition's in offset order). A handler that returns its batch as taken gets the next one while
   * the taken one is stored (up to MAX_UNSTORED at a time); each is acknowledged, and so committed,
   * as soon as it and those before it are stored. A failure, to take or to store, delivers again
   * every batch not stored.
   */
  async function handleWaiting(): Promise<void> {
    let failures = 0;
    while (!stopping.signal.aborted) {
      if (unstored[0]?.state === 'failed') {
        takeBackUnstored();
        await pause(backoff((failures += 1)), stopping.signal);
        continue;
      }
      if (unstored.length >= MAX_UNSTORED) {
        await unstored[0]!.settled;
        continue;
      }
      const next = again.shift() ?? takeWaiting();
      if (next === undefined) {
        if (unstored.length === 0) return;
        // Whichever comes first: the oldest settled, or a batch to hand over.
        await Promise.race([unstored[0]!.settled, new Promise<void>((resolve) => (arrived = resolve))]);
        arrived = undefined;
        continue;
      }
      try {
        const taken = await options.handleBatch(next.received);
        failures = 0;
        if (!taken && unstored.length === 0) {
          // Handled whole: committed at once, as a rebalance redelivers what is not.
          acknowledge(next);
          continue;
        }
        unstored.push(beingStored(next, taken ? taken.stored : Promise.resolve()));
      } catch (error) {
        const last = lastOf(next.received);
        log.warn({ err: error, topic: last.topic, partition: last.partition, offset: last.offset, attempt: failures + 1 }, 'batch handler failed; the batch will be delivered again');
        again.unshift(next);
        // Batches taken before it are stored or not first: the retry follows them.
        await unstoredSettled();
        if (unstored.length > 0) takeBackUnstored();
        await pause(backoff((failures += 1)), stopping.signal);
      }
    }
    // Stopping: what was taken is acknowledged once stored; the rest is left to the group.
    await unstoredSettled();
  }

  /** A taken batch being stored: acknowledged once it is, if all before it are. */
  function beingStored(handing: Handing, stored: Promise<void>): Unstored {
    const entry: Unstored = {
      ...handing,
      state: 'storing',
      settled: stored.then(() => {
        entry.state = 'stored';
        while (unstored[0]?.state === 'stored') acknowledge(unstored.shift()!);
      }, (error: unknown) => {
        entry.state = 'failed';
        const last = lastOf(handing.received);
        log.warn({ err: error, topic: last.topic, partition: last.partition, offset: last.offset }, 'batch not stored; it and the batches taken after it will be delivered again');
      }),
    };
    return entry;
  }

  /** Until every taken batch is stored, or the oldest not stored failed. */
  async function unstoredSettled(): Promise<void> {
    while (unstored.length > 0 && unstored[0]!.state !== 'failed') await unstored[0]!.settled;
  }

  /** A store failed: every batch not stored comes again, before any other. */
  function takeBackUnstored(): void {
    again.unshift(...unstored.splice(0).map(({ taken, received }) => ({ taken, received })));
  }

  /** The batches waiting, as one batch for the handler. */
  function takeWaiting(): Handing | undefined {
    if (waiting.length === 0) return undefined;
    const taken = waiting.splice(0);
    // Read in place: no object per message unless the handler asks for one.
    return { taken, received: batchOfParts(taken.map(({ batch }) => packedPart(batch))) };
  }

  /**
   * Each fetched batch of a handled (and stored) batch to its thread, which commits it, with its
   * buffer, which the thread packs a later batch into (see BatchMemory): the handler is done with it.
   */
  function acknowledge({ taken }: Handing): void {
    for (const { thread, id, batch } of taken) {
      if (!thread.exited) thread.worker.postMessage({ kind: 'handled', id, memory: batch.memory } satisfies ToFetchThread, [batch.memory]);
    }
  }

  const backoff = (attempt: number) => backoffMs(attempt, settings.retryBackoffMs);

  try {
    await startThread();
  } catch (error) {
    stopping.abort();
    await current?.worker.terminate();
    throw error;
  }

  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        // The batch in hand finishes (and is committed); batches not begun are left to the group.
        const stopTimeoutMs = settings.stopTimeoutMs ?? STOP_TIMEOUT_MS;
        if (!(await settledWithin(handling, stopTimeoutMs))) {
          // A store that never settles must not hold the stop: what it held is not committed, and comes again.
          log.warn({ unstored: unstored.length, waitedMs: stopTimeoutMs }, 'taken batches were not stored in time; stopping without committing them (the group delivers them again)');
        }
        const thread = current!;
        if (!thread.exited) thread.worker.postMessage({ kind: 'stop' } satisfies ToFetchThread);
        const timeout = setTimeout(() => void thread.worker.terminate(), stopTimeoutMs);
        await thread.exit;
        clearTimeout(timeout);
      })();
      return stopped;
    },
  };
}

/** True once `work` settles, false if `ms` pass first. */
async function settledWithin(work: Promise<unknown> | undefined, ms: number): Promise<boolean> {
  if (work === undefined) return true;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The thread's entry beside this file: TypeScript when the sources run as such, compiled JavaScript otherwise. */
function threadEntry(): string {
  return join(__dirname, `kafka-fetch-thread${extname(__filename)}`);
}

/** Running from TypeScript sources, the thread needs the same loader (tools/register.js) this process has. */
function threadExecArgv(entry = threadEntry()): string[] | undefined {
  if (extname(entry) !== '.ts') return undefined;
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const register = join(dir, 'tools', 'register.js');
    if (existsSync(register)) return ['-r', register];
  }
  throw new Error('running from TypeScript sources without tools/register.js above them: the Kafka fetch thread cannot load');
}
