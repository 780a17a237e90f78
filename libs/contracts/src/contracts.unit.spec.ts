import { mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AvroCodec, backwardIncompatibilities, crc64Avro, GENERATED_TYPES_FILE, latestVersions,
  loadSchemaCatalog, lockViolations, PROTO_DIR, renderTypeScript, type EnvelopedEvent,
} from './index';

const catalog = loadSchemaCatalog();
const envelope = {
  eventId: '0b6f4c1e-4a51-4c3e-9d0a-1f1d7b0c2a11', eventType: 'ModelQuarantined', streamId: 'review-case:1',
  streamVersion: 1, occurredAt: 1_790_000_000_000, actor: { id: 'retraining', role: 'service' },
  correlationId: 'c-1', causationId: null, traceparent: null, tracestate: null, links: ['model-version:fraud:1'],
};
const quarantined: EnvelopedEvent = {
  type: 'ModelQuarantined',
  envelope,
  data: { modelName: 'fraud', modelVersion: 1, digest: 'sha256:ab', reason: 'psi breach', alertIds: ['a1'], quarantinedAt: 1_790_000_000_000 },
};

describe('the schemas in proto/', () => {
  it('all parse, one record per file', () => {
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.avsc') ? [e.name] : []));
    expect(catalog).toHaveLength(files(PROTO_DIR).length);
    for (const v of catalog) expect(v.fullName).toBe(`mgov.${v.context}.${v.name}`);
  });

  it('match the TypeScript types in libs/contracts (regenerate with npm run contracts:generate)', () => {
    const rendered = renderTypeScript([...latestVersions(catalog).values()]);
    expect(readFileSync(GENERATED_TYPES_FILE, 'utf8')).toBe(rendered);
  });

  it('are each backward compatible with their previous version', () => {
    expect(backwardIncompatibilities(catalog)).toEqual([]);
  });

  it('never change once released (proto/fingerprints.lock.json)', () => {
    const lock = JSON.parse(readFileSync(join(PROTO_DIR, 'fingerprints.lock.json'), 'utf8'));
    expect(lockViolations(catalog, lock, PROTO_DIR)).toEqual([]);
  });
});

describe('schema evolution', () => {
  const evolvedProto = () => {
    const dir = mkdtempSync(join(tmpdir(), 'mgov-proto-'));
    cpSync(PROTO_DIR, dir, { recursive: true });
    return dir;
  };
  const addVersion2 = (dir: string, field: object) => {
    const v1 = JSON.parse(readFileSync(join(dir, 'retraining/ModelQuarantined.v1.avsc'), 'utf8'));
    v1.fields[1].type.fields.push(field);
    mkdirSync(join(dir, 'retraining'), { recursive: true });
    writeFileSync(join(dir, 'retraining/ModelQuarantined.v2.avsc'), JSON.stringify(v1));
  };

  it('given a v2 that adds a field with a default, when v1 bytes are decoded, then the default is filled in', () => {
    const dir = evolvedProto();
    const v1Bytes = new AvroCodec(loadSchemaCatalog()).encodeEvent(quarantined);
    addVersion2(dir, { name: 'deploymentId', type: ['null', 'string'], default: null });
    const evolved = loadSchemaCatalog(dir);
    expect(backwardIncompatibilities(evolved)).toEqual([]);
    const decoded = new AvroCodec(evolved).decodeEvent(v1Bytes);
    expect(decoded.data).toMatchObject({ ...quarantined.data, deploymentId: null });
  });

  it('given a v2 that adds a field without a default, then the compatibility check names it', () => {
    const dir = evolvedProto();
    addVersion2(dir, { name: 'deploymentId', type: 'string' });
    const problems = backwardIncompatibilities(loadSchemaCatalog(dir));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('mgov.retraining.ModelQuarantined v2 cannot read v1');
  });

  it('given an edited released file, then the lock check refuses it', () => {
    const dir = evolvedProto();
    const file = join(dir, 'retraining/ModelQuarantined.v1.avsc');
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    schema.fields[1].type.fields.push({ name: 'note', type: 'string', default: '' });
    writeFileSync(file, JSON.stringify(schema));
    const lock = JSON.parse(readFileSync(join(PROTO_DIR, 'fingerprints.lock.json'), 'utf8'));
    expect(lockViolations(loadSchemaCatalog(dir), lock, dir)).toEqual([
      expect.stringContaining('retraining/ModelQuarantined.v1.avsc changed after release'),
    ]);
  });
});

describe('single-object encoding', () => {
  const codec = new AvroCodec(catalog);

  it('uses the CRC-64-AVRO fingerprint of the Avro specification', () => {
    expect(crc64Avro(Buffer.from('"null"'))).toBe(7195948357588979594n);
  });

  it('frames the body with C3 01 and the writer fingerprint, and round-trips', () => {
    const bytes = codec.encodeEvent(quarantined);
    expect([...bytes.subarray(0, 2)]).toEqual([0xc3, 0x01]);
    expect(bytes.readBigUInt64LE(2)).toBe(codec.schemaFor('ModelQuarantined').fingerprint);
    expect(JSON.parse(JSON.stringify(codec.decodeEvent(bytes)))).toEqual(quarantined);
  });

  it('refuses to encode a value of the wrong shape, naming the bad field paths', () => {
    const bad = { ...quarantined, data: { ...quarantined.data, modelVersion: 'one' } } as unknown as EnvelopedEvent;
    expect(() => codec.encodeEvent(bad)).toThrow(expect.objectContaining({
      code: 'CONTRACTS.INVALID_EVENT', message: expect.stringContaining('data.modelVersion = "one"'),
    }));
  });

  it.each([
    ['bytes without the magic', Buffer.from('{"json":true}'), 'CONTRACTS.BAD_MAGIC'],
    ['a fingerprint nobody wrote', Buffer.from([0xc3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0]), 'CONTRACTS.UNKNOWN_FINGERPRINT'],
    ['a truncated body', codec.encodeEvent(quarantined).subarray(0, 30), 'CONTRACTS.MALFORMED_BODY'],
  ])('refuses to decode %s with a stable code', (_, bytes, code) => {
    expect(() => codec.decode(bytes)).toThrow(expect.objectContaining({ code }));
  });
});
