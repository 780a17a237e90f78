import type { Resolver, Type } from 'avsc';
import { ContractError } from './contract-error';
import type { DomainEvent, Envelope, EventType } from './generated/events';
import { latestVersions, loadSchemaCatalog, type SchemaVersion } from './schema-catalog';
import { frame, unframe } from './single-object';

/** An event with its envelope: what the log stores and the bus carries. */
export type EnvelopedEvent<E extends DomainEvent = DomainEvent> = E & { readonly envelope: Envelope };

interface Reader {
  readonly writer: SchemaVersion;
  readonly reader: SchemaVersion;
  readonly resolver: Resolver | null;
}

/**
 * Encodes and decodes MGov records with Avro single-object encoding. Decoding resolves the
 * writer schema (found by fingerprint) to the newest reader schema of the same record.
 */
export class AvroCodec {
  private readonly byFingerprint = new Map<bigint, Reader>();
  private readonly latestByName = new Map<string, SchemaVersion>();

  constructor(catalog: readonly SchemaVersion[] = loadSchemaCatalog()) {
    const latest = latestVersions(catalog);
    for (const v of latest.values()) this.latestByName.set(v.name, v);
    for (const writer of catalog) {
      const reader = latest.get(writer.fullName) ?? writer;
      const resolver = reader === writer ? null : reader.type.createResolver(writer.type);
      this.byFingerprint.set(writer.fingerprint, { writer, reader, resolver });
    }
  }

  schemaFor(name: string): SchemaVersion {
    const schema = this.latestByName.get(name);
    if (!schema) throw new ContractError('CONTRACTS.UNKNOWN_EVENT_TYPE', `no Avro record named ${name} in proto/`);
    return schema;
  }

  /** The fingerprint a writer of `name` v`version` frames its messages with (for readers specialised to that version). */
  writerFingerprint(name: string, version: number): bigint {
    for (const [fingerprint, { writer }] of this.byFingerprint) if (writer.name === name && writer.version === version) return fingerprint;
    throw new ContractError('CONTRACTS.UNKNOWN_EVENT_TYPE', `no Avro record named ${name} v${version} in proto/`);
  }

  encode(name: string, value: unknown): Buffer {
    const schema = this.schemaFor(name);
    const invalid: string[] = [];
    const valid = schema.type.isValid(value, {
      errorHook: (path: string[], any: unknown) => invalid.push(`${path.join('.') || '(root)'} = ${JSON.stringify(any)}`),
    });
    if (!valid) {
      throw new ContractError('CONTRACTS.INVALID_EVENT', `${name} does not match ${schema.fullName} v${schema.version}: ${invalid.join('; ')}`);
    }
    return frame(schema.fingerprint, schema.type.toBuffer(value));
  }

  decode<T = unknown>(bytes: Buffer): { name: string; value: T; writerVersion: number } {
    const { fingerprint, body } = unframe(bytes);
    const entry = this.byFingerprint.get(fingerprint);
    if (!entry) {
      throw new ContractError('CONTRACTS.UNKNOWN_FINGERPRINT', `no known writer schema has fingerprint ${fingerprint.toString(16)}`);
    }
    try {
      const value = entry.resolver ? entry.reader.type.fromBuffer(body, entry.resolver) : entry.reader.type.fromBuffer(body);
      return { name: entry.reader.name, value: value as T, writerVersion: entry.writer.version };
    } catch (error) {
      throw new ContractError('CONTRACTS.MALFORMED_BODY', `${entry.writer.fullName} v${entry.writer.version}: ${(error as Error).message}`);
    }
  }

  encodeEvent(event: EnvelopedEvent): Buffer {
    return this.encode(event.type, { envelope: event.envelope, data: event.data });
  }

  decodeEvent(bytes: Buffer): EnvelopedEvent {
    return this.asEvent(this.decode(bytes));
  }

  /** An already decoded message as an event, so a consumer that had to look at its name decodes once. */
  asEvent(decoded: { name: string; value: unknown }): EnvelopedEvent {
    const { name } = decoded;
    const value = decoded.value as { envelope: Envelope; data: unknown } | null;
    if (!value || typeof value !== 'object' || !('envelope' in value)) {
      throw new ContractError('CONTRACTS.UNKNOWN_EVENT_TYPE', `${name} is a message, not an event with an envelope`);
    }
    return { type: name as EventType, data: value.data, envelope: value.envelope } as EnvelopedEvent;
  }
}

let shared: AvroCodec | undefined;
/** The process-wide codec over `proto/` (schemas are read once). */
export function avroCodec(): AvroCodec {
  shared ??= new AvroCodec();
  return shared;
}

export type { Type };
