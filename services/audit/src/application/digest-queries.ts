import { DomainError } from '@mgov/decider';
import { type DigestDocument, parseDigestDocument } from '@mgov/audit-domain';
import type { CommandMetadata } from '@mgov/decider';
import { recordedRead } from './access-log';
import type { AuditRuntime } from './audit-runtime';
import { type DigestVerification, latestDigest, verifyDigestDocument } from './ledger-digests';
import { setupLedger } from './ledger';
import type { SigningKey } from './signing-key';
import { type PredecessorKey, trustedKeys } from './signing-keyring';

export const NO_DIGEST = 'AUDIT.NO_DIGEST';

export interface PublicKeyDocument {
  readonly algorithm: 'Ed25519';
  readonly keyId: string;
  /** SPKI PEM, e.g. for `openssl pkeyutl -verify -pubin -inkey key.pem -rawin`. */
  readonly publicKeyPem: string;
  /** Keys that signed before a rotation, vouched for by this one: their digests still verify. */
  readonly previousKeys: readonly PredecessorKey[];
}

/** The read side of ledger digests: the key, the newest digest, and checking a digest now. */
export class DigestQueries {
  constructor(private readonly runtime: AuditRuntime, private readonly key: () => SigningKey) {}

  async publicKey(): Promise<PublicKeyDocument> {
    const key = this.key();
    const trusted = await this.runtime.db.transaction(async (tx) => {
      await setupLedger(tx, this.runtime.schema);
      return trustedKeys(tx, this.runtime.schema, key);
    });
    return { algorithm: 'Ed25519', keyId: key.keyId, publicKeyPem: key.publicKeyPem, previousKeys: trusted.predecessors };
  }

  async latest(reader: CommandMetadata): Promise<DigestDocument> {
    const document = await recordedRead(this.runtime.db, this.runtime.schema, reader, { kind: 'digest-latest' }, async (tx) => {
      const found = await latestDigest(tx, this.runtime.schema);
      return { result: found, count: found ? 1 : 0 };
    });
    if (!document) throw new DomainError(NO_DIGEST, 'no ledger digest has been signed yet: digests are signed every MGOV_AUDIT_DIGEST_INTERVAL_MS once the ledger has entries', 404);
    return document;
  }

  /** Checks a digest document (as served or exported) against the key and the ledger as it is now. */
  async verify(body: unknown, reader: CommandMetadata): Promise<DigestVerification> {
    const document = parseDigestDocument(body);
    const key = this.key();
    return recordedRead(this.runtime.db, this.runtime.schema, reader, { kind: 'verify-digest', position: document.position, keyId: document.keyId }, async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const result = await verifyDigestDocument(tx, this.runtime.schema, key, document, this.runtime.codec);
      return { result, count: 1 };
    });
  }
}
