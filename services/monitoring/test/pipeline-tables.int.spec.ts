import { randomBytes } from 'node:crypto';
import { type Database, embeddedDatabase, postgresDatabase } from '@mgov/event-store';
import { DEFAULT_POLICY, layoutOf, newRing } from '@mgov/monitoring-domain';
import { profileColumns } from '@mgov/stats';
import { pipelineTables } from '../src/application/pipeline-tables';

const databases: Array<[string, () => Promise<Database>]> = [
  ['PGlite', () => embeddedDatabase('memory://')],
  ['PostgreSQL', () => postgresDatabase(requireUrl(), { applicationName: 'mgov-monitoring-test' })],
];

const layout = layoutOf(profileColumns(Array.from({ length: 200 }, (_, i) => ({ income: i, region: ['north', 'south'][i % 2]! }))));

/** A ring that has counted something, so a lost or reshaped field shows. */
function countedRing() {
  const ring = newRing(layout, DEFAULT_POLICY);
  const slot = ring.slots[0]!;
  slot.count = 3;
  slot.numeric[2] = 3;
  slot.unseen[0]!['east'] = 1;
  slot.confusion['1\u001f0'] = 2;
  slot.groups['sex'] = { f: [3, 1, 0, 0, 0, 0] };
  ring.openIndex = 7;
  return ring;
}

describe.each(databases)('monitoring pipeline tables on %s', (_name, openDatabase) => {
  let db: Database;
  let schema: string;
  const columnTypes = async () => (await db.query<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'window_rings_v2' ORDER BY column_name`, [schema],
  )).map((c) => `${c.column_name}:${c.data_type}`);

  beforeAll(async () => {
    db = await openDatabase();
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    schema = `monitoring_${randomBytes(5).toString('hex')}`;
    await db.query(`CREATE SCHEMA ${schema}`);
  });

  it('stores rings as json and reads back exactly what it stored', async () => {
    // Given the tables made from nothing
    const tables = pipelineTables(schema);
    await db.transaction((tx) => tables.setup(tx));

    // When a ring is stored with its stream position, then stored again after counting more
    const ring = countedRing();
    const stream = { state: { alerts: {} } as never, version: 4 };
    await db.transaction((tx) => tables.storeRings(tx, [{ modelName: 'loans', version: 1, policyVersion: 2, ringJson: JSON.stringify(ring), stream }]));
    ring.slots[0]!.count = 4;
    await db.transaction((tx) => tables.storeRings(tx, [{ modelName: 'loans', version: 1, policyVersion: 2, ringJson: JSON.stringify(ring), stream }]));

    // Then the columns are json (not jsonb) and the ring reads back as the last one stored
    expect(await columnTypes()).toEqual(['model_name:text', 'policy_version:integer', 'ring:json', 'stream:json', 'version:integer']);
    const stored = await db.transaction((tx) => tables.ring(tx, 'loans', 1));
    expect(stored).toEqual({ policyVersion: 2, ring: JSON.parse(JSON.stringify(ring)), stream });
    // And read with others at once, it is the same, and a version without a ring is absent
    const many = await db.transaction((tx) => tables.rings(tx, [['cards', 3], ['loans', 1], ['loans', 2]]));
    expect([...many]).toEqual([['loans\u00001', stored]]);
  });

  it('converts a ring table made as jsonb, keeping its rings', async () => {
    // Given the table as an earlier version made it (jsonb), holding a ring
    await db.query(`CREATE TABLE ${schema}.window_rings_v2 (
      model_name text NOT NULL, version int NOT NULL, policy_version int NOT NULL, ring jsonb NOT NULL, stream jsonb, PRIMARY KEY (model_name, version))`);
    const ring = countedRing();
    await db.query(`INSERT INTO ${schema}.window_rings_v2 VALUES ('loans', 1, 2, $1, NULL)`, [JSON.stringify(ring)]);

    // When the tables are set up (twice: a restart finds them converted)
    const tables = pipelineTables(schema);
    await db.transaction((tx) => tables.setup(tx));
    await db.transaction((tx) => tables.setup(tx));

    // Then the columns are json and the ring is the one stored before
    expect(await columnTypes()).toEqual(['model_name:text', 'policy_version:integer', 'ring:json', 'stream:json', 'version:integer']);
    expect(await db.transaction((tx) => tables.ring(tx, 'loans', 1))).toEqual({ policyVersion: 2, ring: JSON.parse(JSON.stringify(ring)), stream: null });
  });
});

function requireUrl(): string {
  const url = process.env.MGOV_DATABASE_URL;
  if (!url) throw new Error('MGOV_DATABASE_URL must be set: run the suite with tools/infra/run-with-infra.js');
  return url;
}
