import type { Database, Sql } from './database';
import { chainHash, GENESIS_HASH } from './hash-chain';
import { quoteIdentifier } from './schema-name';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './stored-event-row';

export interface BrokenLink {
  readonly streamId: string;
  readonly streamVersion: number;
  /** Global position of the first event whose link does not hold ('0' if the stream has no events). */
  readonly position: string;
  readonly reason: string;
}

export type ChainVerification = { readonly ok: true; readonly events: number } | { readonly ok: false; readonly firstBroken: BrokenLink };

interface StreamHead {
  version: number;
  hash: Buffer;
  position: string;
}

/**
 * Recomputes every stream's hash chain from the stored bytes, page by page in position order, in
 * one snapshot; returns the first (lowest-position) broken link, or the number of events checked.
 * Memory grows with the number of streams, not of events.
 */
export async function verifyChains(db: Database, schema: string, options: { pageSize?: number } = {}): Promise<ChainVerification> {
  const s = quoteIdentifier(schema);
  const pageSize = options.pageSize ?? 1000;
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    const heads = new Map<string, StreamHead>();
    let after = '0';
    let events = 0;
    for (;;) {
      const rows = await tx.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM ${s}.events WHERE position > $1 ORDER BY position LIMIT $2`,
        [after, pageSize],
      );
      for (const event of rows.map(toStoredEvent)) {
        const head = heads.get(event.streamId);
        const expectedVersion = (head?.version ?? 0) + 1;
        const broken = (reason: string) => ({ ok: false as const, firstBroken: { ...link(event), reason } });
        if (event.streamVersion !== expectedVersion) {
          return broken(`stream version ${event.streamVersion} follows ${expectedVersion - 1}: events are missing`);
        }
        if (!event.prevHash.equals(head?.hash ?? GENESIS_HASH)) {
          return broken('prev_hash is not the hash of the previous event in the stream');
        }
        if (!chainHash(event.prevHash, event).equals(event.hash)) {
          return broken('hash does not match the stored bytes');
        }
        heads.set(event.streamId, { version: event.streamVersion, hash: event.hash, position: event.position });
        events += 1;
      }
      if (rows.length < pageSize) break;
      after = rows[rows.length - 1].position;
    }
    const headMismatch = await compareChainHeads(tx, s, heads, pageSize);
    return headMismatch ? { ok: false, firstBroken: headMismatch } : { ok: true, events };
  });
}

/** The `streams` rows must sit exactly on each chain's last event (catches a removed tail). */
async function compareChainHeads(tx: Sql, s: string, heads: Map<string, StreamHead>, pageSize: number): Promise<BrokenLink | null> {
  const seen = new Set<string>();
  let after = '';
  for (;;) {
    const rows = await tx.query<{ stream_id: string; version: number; last_hash: Buffer }>(
      `SELECT stream_id, version, last_hash FROM ${s}.streams WHERE stream_id > $1 ORDER BY stream_id LIMIT $2`,
      [after, pageSize],
    );
    for (const row of rows) {
      const head = heads.get(row.stream_id);
      seen.add(row.stream_id);
      if (!head || head.version !== row.version || !head.hash.equals(row.last_hash)) {
        return {
          streamId: row.stream_id,
          streamVersion: row.version,
          position: head?.position ?? '0',
          reason: `chain head says version ${row.version} but the log ends at version ${head?.version ?? 0} or hashes differ`,
        };
      }
    }
    if (rows.length < pageSize) break;
    after = rows[rows.length - 1].stream_id;
  }
  for (const [streamId, head] of heads) {
    if (!seen.has(streamId)) {
      return { streamId, streamVersion: head.version, position: head.position, reason: 'stream has events but no chain head' };
    }
  }
  return null;
}

function link(event: { streamId: string; streamVersion: number; position: string }): Omit<BrokenLink, 'reason'> {
  return { streamId: event.streamId, streamVersion: event.streamVersion, position: event.position };
}
