import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { ReceivedMessage } from '../message-bus';
import type { BatchPart } from '../received-batch';

/**
 * A kafkajs message as the bus port's ReceivedMessage: key and headers as strings, decoded when
 * first read (a batch consumer reading only values never pays for them).
 */
class KafkaReceivedMessage implements ReceivedMessage {
  readonly offset: string;
  readonly value: Buffer;
  private decodedKey: string | undefined;
  private decodedHeaders: Record<string, string> | undefined;

  constructor(readonly topic: string, readonly partition: number, private readonly message: KafkaMessage) {
    this.offset = message.offset;
    this.value = message.value ?? EMPTY;
  }

  get key(): string {
    return (this.decodedKey ??= this.message.key ? this.message.key.toString('utf8') : '');
  }

  get headers(): Record<string, string> {
    return (this.decodedHeaders ??= headersToStrings(this.message.headers));
  }

  toJSON(): object {
    return { topic: this.topic, partition: this.partition, offset: this.offset, key: this.key, value: this.value, headers: this.headers };
  }
}

const EMPTY = Buffer.alloc(0);

/**
 * A kafkajs batch as a part of a received batch: values are read where kafkajs decoded them (slices
 * of the fetch's buffer), and a message object is made only when asked for.
 */
export class KafkaBatchPart implements BatchPart {
  readonly count: number;

  constructor(readonly topic: string, readonly partition: number, private readonly messages: readonly KafkaMessage[]) {
    this.count = messages.length;
  }

  offset(i: number): bigint {
    return BigInt(this.messages[i]!.offset);
  }

  valueBytes(i: number): Buffer {
    return this.messages[i]!.value ?? EMPTY;
  }

  valueStart(): number {
    return 0;
  }

  valueEnd(i: number): number {
    return this.messages[i]!.value?.length ?? 0;
  }

  message(i: number): ReceivedMessage {
    return new KafkaReceivedMessage(this.topic, this.partition, this.messages[i]!);
  }
}

export function toReceivedMessage(topic: string, partition: number, message: KafkaMessage): ReceivedMessage {
  return new KafkaReceivedMessage(topic, partition, message);
}

export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    // A header repeated on the wire arrives as an array; the last value wins.
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    // A header without a value (null on the wire) reads as empty.
    if (last !== undefined) result[name] = Buffer.isBuffer(last) ? last.toString('utf8') : last === null ? '' : String(last);
  }
  return result;
}

/** The offset to commit after handling `offset`: Kafka commits the next offset to read. */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}
