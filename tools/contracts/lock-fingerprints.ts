import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FingerprintLock, loadSchemaCatalog, PROTO_DIR } from '@mgov/contracts';

// Adds new schema versions to the lock; a released version's fingerprint is never rewritten.
const lockFile = join(PROTO_DIR, 'fingerprints.lock.json');
const lock: FingerprintLock = existsSync(lockFile) ? JSON.parse(readFileSync(lockFile, 'utf8')) : {};
let added = 0;
for (const v of loadSchemaCatalog()) {
  const key = v.file.slice(PROTO_DIR.length + 1);
  if (lock[key] === undefined) {
    lock[key] = v.fingerprint.toString(16);
    added++;
  }
}
const sorted = Object.fromEntries(Object.entries(lock).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(lockFile, `${JSON.stringify(sorted, null, 2)}\n`);
console.log(`${added} schema version(s) added to ${lockFile}`);
