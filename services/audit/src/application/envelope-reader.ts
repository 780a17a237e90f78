import { type Envelope, loadSchemaCatalog, type SchemaVersion, type Type, unframe } from '@mgov/contracts';


interface RecordLike {
  readonly fields?: readonly { readonly name: string; readonly type: Type }[];
}

/**
 * Reads only the envelope of a stored event: it is the first field of every event record, so
 * decoding it with the writer's own envelope type stops before the data. Chain verification needs
 * the envelope alone, and skipping the data halves the decoding work per entry.
 * Returns null for anything it does not recognise; callers then fall back to the full codec.
 */
export function envelopeReader(catalog: readonly SchemaVersion[] = loadSchemaCatalog()): (payload: Buffer) => { type: string; envelope: Envelope } | null {
  const byFingerprint = new Map<bigint, { name: string; envelope: Type }>();
  for (const version of catalog) {
    const [first] = (version.type as unknown as RecordLike).fields ?? [];
    if (first?.name === 'envelope') byFingerprint.set(version.fingerprint, { name: version.name, envelope: first.type });
  }
  return (payload) => {
    try {
      const { fingerprint, body } = unframe(payload);
      const entry = byFingerprint.get(fingerprint);
      if (!entry) return null;
      const { value, offset } = entry.envelope.decode(body, 0);
      return offset > 0 ? { type: entry.name, envelope: value as Envelope } : null;
    } catch {
      return null;
    }
  };
}
