import type { Sql } from '@mgov/event-store';
import type { BatchPart } from '@mgov/messaging';
import type { MonitorState, WindowRing } from '@mgov/monitoring-domain';
import { versionKey } from './baselines';

/** A stored ring, the policy version it was shaped by, and where its monitor stream was. */
export interface StoredRing {
  readonly policyVersion: number;
  readonly ring: WindowRing;
  readonly stream: StreamPosition | null;
}

/** The monitor stream's decider state and version, as of the same commit as the ring. */
export interface StreamPosition {
  readonly state: MonitorState;
  readonly version: number;
}

/**
 * A ring to store: the model version it counts for, the policy version it was shaped by, the ring
 * as JSON (serialized when its batch was counted), and where its monitor stream was.
 */
export interface RingToStore {
  readonly modelName: string;
  readonly version: number;
  readonly policyVersion: number;
  readonly ringJson: string;
  readonly stream: StreamPosition | null;
}

/** A partition's key in read positions: `topic\u0000partition`. */
export const partitionKey = (message: { readonly topic: string; readonly partition: number }) => `${message.topic}\u0000${message.partition}`;

/** A partition read up to (and including) an offset. */
export interface ReadUpTo {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

/** How far a batch reads each of its partitions: the last offset of its last part of each. */
export function readUpTo(parts: readonly BatchPart[]): ReadUpTo[] {
  const last = new Map<string, ReadUpTo>();
  for (const part of parts) {
    if (part.count > 0) last.set(partitionKey(part), { topic: part.topic, partition: part.partition, offset: part.offset(part.count - 1) });
  }
  return [...last.values()];
}

/**
 * What the monitoring pipeline keeps in PostgreSQL beside its event streams: each model version's
 * window ring, how far each partition was read (both written in each batch's transaction), and
 * the label join saved with the read positions it belongs to (at a graceful stop, and with a batch now and then).
 */
export function pipelineTables(schema: string) {
  const rings = `${schema}.window_rings_v2`;
  const offsets = `${schema}.pipeline_offsets_v1`;
  const joins = `${schema}.label_join_snapshots_v1`;
  /** The read positions as one comparable string. */
  const positions = async (tx: Sql): Promise<string> => {
    const rows = await tx.query<{ topic: string; partition: number; next_offset: string }>(`SELECT topic, partition, next_offset::text FROM ${offsets} ORDER BY topic, partition`);
    return JSON.stringify(rows.map((r) => [r.topic, r.partition, r.next_offset]));
  };
  /**
   * Rings are stored as json, not jsonb: they are only ever read back whole, and converting every
   * batch's rings to jsonb was most of storing them (22 ms against 6 ms for 100 rings, measured).
   * A table made as jsonb before is converted once.
   */
  const jsonNotJsonb = async (tx: Sql): Promise<void> => {
    const jsonb = await tx.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND data_type = 'jsonb'`, [schema, 'window_rings_v2'],
    );
    if (jsonb.length > 0) await tx.query(`ALTER TABLE ${rings} ${jsonb.map((c) => `ALTER COLUMN ${c.column_name} TYPE json`).join(', ')}`);
  };
  /** Several versions' stored rings at once, by `versionKey`. */
  const storedRings = async (tx: Sql, wanted: ReadonlyArray<readonly [string, number]>): Promise<Map<string, StoredRing>> => {
    const rows = await tx.query<{ model_name: string; version: number; policy_version: number; ring: WindowRing; stream: StreamPosition | null }>(
      `SELECT model_name, version, policy_version, ring, stream FROM ${rings} WHERE (model_name, version) IN (SELECT * FROM unnest($1::text[], $2::int[]))`,
      [wanted.map(([modelName]) => modelName), wanted.map(([, version]) => version)],
    );
    return new Map(rows.map((r) => [versionKey(r.model_name, r.version), { policyVersion: r.policy_version, ring: r.ring, stream: r.stream }]));
  };
  return {
    async setup(tx: Sql): Promise<void> {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${rings} (
        model_name text NOT NULL, version int NOT NULL, policy_version int NOT NULL, ring json NOT NULL, PRIMARY KEY (model_name, version))`);
      // Where the monitor stream was at the same commit: a restarted pipeline need not read the stream again.
      await tx.query(`ALTER TABLE ${rings} ADD COLUMN IF NOT EXISTS stream json`);
      await jsonNotJsonb(tx);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${offsets} (topic text NOT NULL, partition int NOT NULL, next_offset bigint NOT NULL, PRIMARY KEY (topic, partition))`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${joins} (id int PRIMARY KEY, offsets text NOT NULL, snapshot bytea NOT NULL)`);
    },

    async ring(tx: Sql, modelName: string, version: number): Promise<StoredRing | undefined> {
      return (await storedRings(tx, [[modelName, version]])).get(versionKey(modelName, version));
    },

    rings: storedRings,

    async storeRings(tx: Sql, stored: readonly RingToStore[]): Promise<void> {
      if (stored.length === 0) return;
      // One JSON document for all rings: no array literal to escape and parse. Each ring is JSON already.
      const rows = stored.map((s) => `{"model_name":${JSON.stringify(s.modelName)},"version":${s.version},"policy_version":${s.policyVersion},"ring":${s.ringJson},"stream":${JSON.stringify(s.stream)}}`);
      await tx.query(
        `INSERT INTO ${rings} (model_name, version, policy_version, ring, stream) SELECT r.model_name, r.version, r.policy_version, r.ring, r.stream
           FROM json_to_recordset($1::json) AS r(model_name text, version int, policy_version int, ring json, stream json)
         ON CONFLICT (model_name, version) DO UPDATE SET policy_version = EXCLUDED.policy_version, ring = EXCLUDED.ring, stream = EXCLUDED.stream`,
        [`[${rows.join(',')}]`],
      );
    },

    /** The next offset to read per `topic\u0000partition` of the batch's topics. */
    async resumePoints(tx: Sql, topics: readonly string[]): Promise<Map<string, bigint>> {
      const rows = await tx.query<{ topic: string; partition: number; next_offset: string }>(`SELECT topic, partition, next_offset FROM ${offsets} WHERE topic = ANY($1)`, [topics]);
      return new Map(rows.map((r) => [partitionKey(r), BigInt(r.next_offset)]));
    },

    /** Each partition read up to and including its last message in the batch (positions only move forward). */
    async storeOffsets(tx: Sql, readTo: Iterable<ReadUpTo>): Promise<void> {
      for (const { topic, partition, offset } of readTo) {
        await tx.query(
          `INSERT INTO ${offsets} VALUES ($1, $2, $3) ON CONFLICT (topic, partition) DO UPDATE SET next_offset = GREATEST(${offsets}.next_offset, EXCLUDED.next_offset)`,
          [topic, partition, (offset + 1n).toString()],
        );
      }
    },

    async saveJoin(tx: Sql, snapshot: Buffer): Promise<void> {
      await tx.query(`INSERT INTO ${joins} VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET offsets = EXCLUDED.offsets, snapshot = EXCLUDED.snapshot`, [await positions(tx), snapshot]);
    },

    /** The saved join, and whether it was saved at the read positions stored last (nothing read since). */
    async savedJoin(tx: Sql): Promise<{ snapshot: Buffer; current: boolean } | undefined> {
      const [saved] = await tx.query<{ offsets: string; snapshot: Buffer | Uint8Array }>(`SELECT offsets, snapshot FROM ${joins} WHERE id = 1`);
      if (!saved) return undefined;
      return { snapshot: Buffer.isBuffer(saved.snapshot) ? saved.snapshot : Buffer.from(saved.snapshot), current: saved.offsets === (await positions(tx)) };
    },
  };
}

export type PipelineTables = ReturnType<typeof pipelineTables>;
