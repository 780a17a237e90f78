import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Type, types as avroTypes } from 'avsc';
import { crc64Avro } from './crc64-avro';

/** One version of one record schema as it is kept in `proto/<context>/<Name>.v<N>.avsc`. */
export interface SchemaVersion {
  readonly fullName: string;
  readonly name: string;
  readonly context: string;
  readonly version: number;
  readonly file: string;
  readonly type: Type;
  readonly fingerprint: bigint;
  readonly canonicalForm: string;
}

const FILE_PATTERN = /^([A-Za-z]+)\.v(\d+)\.avsc$/;
const ENVELOPE = 'mgov.common.Envelope';

export const PROTO_DIR = resolve(__dirname, '../../../proto');

function listSchemaFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return listSchemaFiles(path);
    return FILE_PATTERN.test(entry) ? [path] : [];
  });
}

function describe(file: string): { name: string; version: number; context: string } {
  const [, name, version] = FILE_PATTERN.exec(file.split('/').pop() ?? '') ?? [];
  const context = file.split('/').slice(-2)[0];
  return { name, version: Number(version), context };
}

/**
 * Every schema version under `proto/`. Event records refer to the envelope by name, which
 * resolves to the newest envelope version: changing the envelope changes every fingerprint,
 * which the fingerprint lock test catches.
 */
export function loadSchemaCatalog(dir = PROTO_DIR): SchemaVersion[] {
  const files = listSchemaFiles(dir).sort();
  const envelopeFiles = files.filter((f) => f.includes('/common/')).sort((a, b) => describe(a).version - describe(b).version);
  const versions: SchemaVersion[] = [];
  const parse = (file: string, registry: Record<string, Type>): SchemaVersion => {
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    const type = Type.forSchema(schema, { registry: { ...registry } });
    const canonicalForm = JSON.stringify(type.schema());
    const { name, version, context } = describe(file);
    return {
      fullName: (type as avroTypes.RecordType).name ?? name,
      name,
      context,
      version,
      file,
      type,
      canonicalForm,
      fingerprint: crc64Avro(Buffer.from(canonicalForm, 'utf8')),
    };
  };
  let envelopeRegistry: Record<string, Type> = {};
  for (const file of envelopeFiles) {
    const envelope = parse(file, {});
    versions.push(envelope);
    envelopeRegistry = { [ENVELOPE]: envelope.type };
  }
  for (const file of files.filter((f) => !f.includes('/common/'))) versions.push(parse(file, envelopeRegistry));
  return versions;
}

/** The newest version of each record, by full name. */
export function latestVersions(catalog: readonly SchemaVersion[]): Map<string, SchemaVersion> {
  const latest = new Map<string, SchemaVersion>();
  for (const v of catalog) {
    const current = latest.get(v.fullName);
    if (!current || current.version < v.version) latest.set(v.fullName, v);
  }
  return latest;
}
