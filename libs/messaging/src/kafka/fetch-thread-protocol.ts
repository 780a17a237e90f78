import type { logLevel, SASLOptions } from 'kafkajs';
import type { PackedBatch } from './packed-batch';

/** What a fetch thread needs to build its own kafkajs client and consumer (plain data: it crosses threads). */
export interface FetchThreadSettings {
  readonly clientId: string;
  readonly brokers: readonly string[];
  readonly logLevel: logLevel;
  readonly sasl?: SASLOptions;
  readonly ssl?: boolean;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly fromBeginning: boolean;
  readonly sessionTimeoutMs?: number;
  /** Batches handed over and not yet handled, at most: the thread fetches no further meanwhile. */
  readonly ahead: number;
  /** The thread lowers its own scheduling priority by this much (Linux nice) when it starts. */
  readonly nice?: number;
}

/** Thread → owner. */
export type FromFetchThread =
  | { readonly kind: 'joined' }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'batch'; readonly id: number; readonly batch: PackedBatch }
  | { readonly kind: 'stopped' };

/** Owner → thread: a batch was handled (commit it; its buffer comes back with it, to be reused), or stop. */
export type ToFetchThread = { readonly kind: 'handled'; readonly id: number; readonly memory?: ArrayBuffer } | { readonly kind: 'stop' };
