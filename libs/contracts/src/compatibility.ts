import type { SchemaVersion } from './schema-catalog';

/**
 * Backward compatibility as Avro defines it: the newer schema (reader) can read data written
 * with the older one (writer). Returns the reason it cannot, or null.
 */
export function backwardIncompatibility(reader: SchemaVersion, writer: SchemaVersion): string | null {
  try {
    reader.type.createResolver(writer.type);
    return null;
  } catch (error) {
    return `${reader.fullName} v${reader.version} cannot read v${writer.version}: ${(error as Error).message}`;
  }
}

/** Every consecutive pair of versions of the same record that breaks backward compatibility. */
export function backwardIncompatibilities(catalog: readonly SchemaVersion[]): string[] {
  const byName = new Map<string, SchemaVersion[]>();
  for (const v of catalog) byName.set(v.fullName, [...(byName.get(v.fullName) ?? []), v]);
  const problems: string[] = [];
  for (const versions of byName.values()) {
    const sorted = [...versions].sort((a, b) => a.version - b.version);
    for (let i = 1; i < sorted.length; i++) {
      const problem = backwardIncompatibility(sorted[i], sorted[i - 1]);
      if (problem) problems.push(problem);
    }
  }
  return problems;
}

/** The released fingerprints, keyed by file path relative to proto/. */
export type FingerprintLock = Record<string, string>;

/** Files whose released schema changed, or that are not in the lock yet. */
export function lockViolations(catalog: readonly SchemaVersion[], lock: FingerprintLock, protoDir: string): string[] {
  return catalog.flatMap((v) => {
    const key = v.file.slice(protoDir.length + 1);
    const released = lock[key];
    if (released === undefined) return [`${key} is not in proto/fingerprints.lock.json: run npm run contracts:lock`];
    if (released !== v.fingerprint.toString(16)) {
      return [`${key} changed after release (fingerprint ${released} → ${v.fingerprint.toString(16)}): add a new version file instead`];
    }
    return [];
  });
}
