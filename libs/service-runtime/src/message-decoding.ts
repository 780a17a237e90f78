import type { AvroCodec, Prediction } from '@mgov/contracts';
import type { ReceivedMessage } from '@mgov/messaging';
import type { DecodedMessage } from './service-module';

/** Decodes an event topic's message or a public prediction; throws ContractError otherwise. */
export function decodeMessage(codec: AvroCodec, message: ReceivedMessage): DecodedMessage {
  const decoded = codec.decode(message.value);
  if (decoded.name === 'Prediction') {
    return { kind: 'prediction', prediction: decoded.value as Prediction, topic: message.topic };
  }
  return {
    kind: 'event', event: codec.asEvent(decoded), topic: message.topic,
    bytes: message.value, partition: message.partition, offset: message.offset,
  };
}

/** The id a reactor deduplicates on: the event id, or the prediction id. */
export function messageId(message: DecodedMessage): string {
  return message.kind === 'event' ? message.event.envelope.eventId : `prediction:${message.prediction.predictionId}`;
}
