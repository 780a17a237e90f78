import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { ReceivedMessage } from '../message-bus';

/** A kafkajs message as the bus port's ReceivedMessage: key and headers as strings. */
export function toReceivedMessage(topic: string, partition: number, message: KafkaMessage): ReceivedMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key ? message.key.toString('utf8') : '',
    value: message.value ?? Buffer.alloc(0),
    headers: headersToStrings(message.headers),
  };
}

export function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    // A header repeated on the wire arrives as an array; the last value wins.
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) result[name] = Buffer.isBuffer(last) ? last.toString('utf8') : String(last);
  }
  return result;
}

/** The offset to commit after handling `offset`: Kafka commits the next offset to read. */
export function nextOffset(offset: string): string {
  return (BigInt(offset) + 1n).toString();
}
