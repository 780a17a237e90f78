import { existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '@mgov/telemetry';
import type { Subscription, SubscriptionOptions } from '../message-bus';
import { deliverUntilHandled } from '../redelivery';
import type { FetchThreadSettings, FromFetchThread, ToFetchThread } from './fetch-thread-protocol';
import { type PackedBatch, unpackBatch } from './packed-batch';

/**
 * Batches a fetch thread may hand over before the owner handled them: one in hand, one waiting (4
 * measured no faster in bench:monitoring, and each holds a fetch's bytes). Those waiting when the
 * handler is free are handed to it together: one handler call for several partitions' fetches.
 */
const AHEAD = 2;
const STOP_TIMEOUT_MS = 30_000;
/**
 * The thread's heap holds one fetch's decoded messages (the fetched bytes are outside it): capped, as
 * a deployment caps the process heap, or V8 grows it lazily toward the machine's memory.
 */
const THREAD_HEAP_MB = 48;

/**
 * A batch subscription whose fetching runs on a worker thread (kafka-fetch-thread): kafkajs fetches
 * and decodes the next batches while this thread handles the current one, which on one thread
 * happen one after the other. Semantics as kafkaSubscription's batch mode: one batch at a time in
 * order, retried whole until handled, its offsets committed only after.
 */
export async function kafkaThreadSubscription(
  kafka: Omit<FetchThreadSettings, 'groupId' | 'topics' | 'fromBeginning' | 'ahead'>,
  options: SubscriptionOptions & { readonly handleBatch: NonNullable<SubscriptionOptions['handleBatch']> },
  settings: { readonly retryBackoffMs: number; readonly log: Logger },
): Promise<Subscription> {
  const log = settings.log.child({ groupId: options.groupId, fetchThread: true });
  const stopping = new AbortController();
  const data: FetchThreadSettings = { ...kafka, groupId: options.groupId, topics: [...options.topics], fromBeginning: options.fromBeginning ?? false, ahead: AHEAD };
  const worker = new Worker(threadEntry(), { workerData: data, execArgv: threadExecArgv(), resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB, maxYoungGenerationSizeMb: 16 } });
  const tell = (message: ToFetchThread) => worker.postMessage(message);
  const waiting: Array<{ readonly id: number; readonly batch: PackedBatch }> = [];
  let handling: Promise<void> | undefined;
  let exited = false;

  const exit = new Promise<void>((resolve) => worker.once('exit', () => {
    exited = true;
    resolve();
  }));
  const joined = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: FromFetchThread) => {
      if (message.kind === 'joined') resolve();
      else if (message.kind === 'failed') reject(new Error(`the Kafka fetch thread could not start: ${message.message}`));
      else if (message.kind === 'batch') {
        waiting.push(message);
        handling ??= handleWaiting().finally(() => (handling = undefined));
      }
      // It committed and left its group: nothing of it is needed any more.
      else void worker.terminate();
    });
    worker.on('error', (error) => {
      log.error({ err: error }, 'the Kafka fetch thread failed; this subscription receives nothing more');
      reject(error);
    });
    void exit.then(() => {
      reject(new Error('the Kafka fetch thread exited before joining its group'));
      if (!stopping.signal.aborted) log.error('the Kafka fetch thread exited; this subscription receives nothing more');
    });
  });

  /** Until none is waiting: all waiting batches to the handler at once (in arrival order, so each partition's in offset order). */
  async function handleWaiting(): Promise<void> {
    while (waiting.length > 0 && !stopping.signal.aborted) {
      const taken = waiting.splice(0);
      const messages = taken.length === 1 ? unpackBatch(taken[0]!.batch) : taken.flatMap(({ batch }) => unpackBatch(batch));
      const last = messages[messages.length - 1]!;
      const handled = await deliverUntilHandled(last, () => options.handleBatch(messages), { signal: stopping.signal, backoffMs: settings.retryBackoffMs, log });
      if (!handled || exited) return;
      for (const { id } of taken) tell({ kind: 'handled', id });
    }
  }

  try {
    await joined;
  } catch (error) {
    stopping.abort();
    await worker.terminate();
    throw error;
  }

  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        // The batch in hand finishes (and is committed); batches not begun are left to the group.
        await handling;
        if (!exited) tell({ kind: 'stop' });
        const timeout = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
        await exit;
        clearTimeout(timeout);
      })();
      return stopped;
    },
  };
}

/** The thread's entry beside this file: TypeScript when the sources run as such, compiled JavaScript otherwise. */
function threadEntry(): string {
  return join(__dirname, `kafka-fetch-thread${extname(__filename)}`);
}

/** Running from TypeScript sources, the thread needs the same loader (tools/register.js) this process has. */
function threadExecArgv(): string[] | undefined {
  if (extname(__filename) !== '.ts') return undefined;
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const register = join(dir, 'tools', 'register.js');
    if (existsSync(register)) return ['-r', register];
  }
  throw new Error('running from TypeScript sources without tools/register.js above them: the Kafka fetch thread cannot load');
}
