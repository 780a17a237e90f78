import type { ReceivedMessage } from './message-bus';

/**
 * One partition's messages in a received batch, in offset order. A handler that reads only values
 * reads each in place, `valueBytes(i)` from `valueStart(i)` to `valueEnd(i)` (a buffer many
 * messages may share: read it, do not keep it), and makes no object per message; `message(i)`
 * makes one when a handler needs the rest (a dead letter, a trace).
 */
export interface BatchPart {
  readonly topic: string;
  readonly partition: number;
  readonly count: number;
  /** Message i's offset (a bigint: Kafka's offsets are 64-bit). */
  offset(i: number): bigint;
  valueBytes(i: number): Buffer;
  valueStart(i: number): number;
  valueEnd(i: number): number;
  message(i: number): ReceivedMessage;
}

/** What a batch handler gets: parts of one partition each (a partition may have several, in offset order). */
export interface ReceivedBatch {
  readonly parts: readonly BatchPart[];
  /** Messages in all parts. */
  readonly size: number;
  /** Every message, part after part; made on the first call. */
  messages(): readonly ReceivedMessage[];
}

/** The last message of a batch that is not empty. */
export function lastOf(batch: ReceivedBatch): ReceivedMessage {
  const part = batch.parts[batch.parts.length - 1]!;
  return part.message(part.count - 1);
}

/** A part over messages that are objects already: a value is a buffer of its own. */
class MessagesPart implements BatchPart {
  readonly topic: string;
  readonly partition: number;
  readonly count: number;

  constructor(private readonly all: readonly ReceivedMessage[], private readonly from: number, to: number) {
    this.topic = all[from]!.topic;
    this.partition = all[from]!.partition;
    this.count = to - from;
  }

  offset(i: number): bigint {
    return BigInt(this.all[this.from + i]!.offset);
  }

  valueBytes(i: number): Buffer {
    return this.all[this.from + i]!.value;
  }

  valueStart(): number {
    return 0;
  }

  valueEnd(i: number): number {
    return this.all[this.from + i]!.value.length;
  }

  message(i: number): ReceivedMessage {
    return this.all[this.from + i]!;
  }
}

/** Parts made by cutting the batch's messages where they change partition. */
export function batchOf(messages: readonly ReceivedMessage[]): ReceivedBatch {
  const parts: BatchPart[] = [];
  let from = 0;
  for (let i = 1; i <= messages.length; i += 1) {
    const previous = messages[i - 1]!;
    const message = messages[i];
    if (message === undefined || message.topic !== previous.topic || message.partition !== previous.partition) {
      parts.push(new MessagesPart(messages, from, i));
      from = i;
    }
  }
  return { parts, size: messages.length, messages: () => messages };
}

/** A batch of the given parts, its messages made (and kept) when first asked for. */
export function batchOfParts(parts: readonly BatchPart[]): ReceivedBatch {
  let messages: ReceivedMessage[] | undefined;
  let size = 0;
  for (const part of parts) size += part.count;
  return {
    parts,
    size,
    messages: () => (messages ??= parts.flatMap((part) => Array.from({ length: part.count }, (_, i) => part.message(i)))),
  };
}
