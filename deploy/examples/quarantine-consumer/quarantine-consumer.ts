/*
 * An example downstream system: it subscribes to MGov's public topic `mgov.quarantine` with kafkajs
 * and decodes the Avro contract itself, with nothing from MGov but the schema files in `proto/`
 * and their published fingerprints (`proto/fingerprints.lock.json`).
 *
 * Wire format (Avro single-object encoding): 0xC3 0x01, the writer schema's 8-byte little-endian
 * CRC-64-AVRO fingerprint, then the Avro binary body. The fingerprint names the writer schema
 * (looked up in the lock file); the body is read with that schema resolved to the reader's own
 * schema version, so a consumer built against v1 keeps working when MGov publishes a v2.
 *
 * Run it:  MGOV_KAFKA_BROKERS=localhost:9092 node -r ./tools/register.js deploy/examples/quarantine-consumer/quarantine-consumer.ts
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Schema, Type } from 'avsc';
import { Kafka, logLevel } from 'kafkajs';

export const QUARANTINE_TOPIC = 'mgov.quarantine';

export type QuarantineNotice =
  | { type: 'ModelQuarantined'; eventId: string; modelName: string; modelVersion: number; digest: string; reason: string; alertIds: string[]; at: Date }
  | { type: 'ModelQuarantineReleased'; eventId: string; modelName: string; modelVersion: number; digest: string; releasedBy: string; justification: string; at: Date };

/** Decodes `mgov.quarantine` messages against the reader schemas this consumer was built with. */
export function quarantineDecoder(protoDir = resolve(__dirname, '../../../proto')) {
  const schema = (file: string) => JSON.parse(readFileSync(join(protoDir, file), 'utf8')) as Schema;
  const envelope = Type.forSchema(schema('common/Envelope.v1.avsc'));
  const typeOf = (file: string) => Type.forSchema(schema(file), { registry: { 'mgov.common.Envelope': envelope } });
  const readers: Record<string, Type> = {
    ModelQuarantined: typeOf('retraining/ModelQuarantined.v1.avsc'),
    ModelQuarantineReleased: typeOf('retraining/ModelQuarantineReleased.v1.avsc'),
  };
  // Every published writer schema of these two records, by fingerprint.
  const lock = JSON.parse(readFileSync(join(protoDir, 'fingerprints.lock.json'), 'utf8')) as Record<string, string>;
  const writers = new Map<string, { name: string; resolver: ReturnType<Type['createResolver']> }>();
  for (const [file, fingerprint] of Object.entries(lock)) {
    const name = /^retraining\/(ModelQuarantined|ModelQuarantineReleased)\.v\d+\.avsc$/.exec(file)?.[1];
    if (name) writers.set(fingerprint, { name, resolver: readers[name]!.createResolver(typeOf(file)) });
  }

  return (bytes: Buffer): QuarantineNotice => {
    if (bytes.length < 10 || bytes[0] !== 0xc3 || bytes[1] !== 0x01) throw new Error('not Avro single-object encoding');
    const fingerprint = bytes.readBigUInt64LE(2).toString(16).padStart(16, '0');
    const writer = writers.get(fingerprint);
    if (!writer) throw new Error(`unknown writer schema ${fingerprint}: not a quarantine event this consumer knows`);
    const event = readers[writer.name]!.fromBuffer(bytes.subarray(10), writer.resolver) as {
      envelope: { eventId: string; occurredAt: Date | number };
      data: Record<string, unknown>;
    };
    const d = event.data;
    const base = { eventId: event.envelope.eventId, modelName: d.modelName as string, modelVersion: d.modelVersion as number, digest: d.digest as string };
    return writer.name === 'ModelQuarantined'
      ? { type: 'ModelQuarantined', ...base, reason: d.reason as string, alertIds: d.alertIds as string[], at: new Date(d.quarantinedAt as Date) }
      : { type: 'ModelQuarantineReleased', ...base, releasedBy: d.releasedBy as string, justification: d.justification as string, at: new Date(d.releasedAt as Date) };
  };
}

/**
 * Subscribes and hands each notice to `onNotice` (e.g. stop routing traffic to that digest). Delivery is
 * at-least-once: deduplicate on `eventId`. Returns a function that stops the consumer.
 */
export async function subscribeToQuarantines(
  options: { brokers: string[]; groupId: string; fromBeginning?: boolean },
  onNotice: (notice: QuarantineNotice) => Promise<void> | void,
): Promise<() => Promise<void>> {
  const decode = quarantineDecoder();
  const kafka = new Kafka({ clientId: options.groupId, brokers: options.brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: options.groupId });
  await consumer.connect();
  await consumer.subscribe({ topic: QUARANTINE_TOPIC, fromBeginning: options.fromBeginning ?? false });
  await consumer.run({ eachMessage: async ({ message }) => onNotice(decode(message.value!)) });
  return () => consumer.disconnect();
}

if (require.main === module) {
  const brokers = (process.env.MGOV_KAFKA_BROKERS ?? 'localhost:9092').split(',');
  void subscribeToQuarantines({ brokers, groupId: process.env.GROUP_ID ?? 'model-serving-gateway', fromBeginning: true }, (notice) => {
    const verb = notice.type === 'ModelQuarantined' ? `QUARANTINED (${notice.reason})` : `released by ${notice.releasedBy}`;
    console.log(`${notice.at.toISOString()} ${notice.modelName}:${notice.modelVersion} ${notice.digest} ${verb}`);
  });
}
