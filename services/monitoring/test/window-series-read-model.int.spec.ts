import { randomBytes } from 'node:crypto';
import type { EnvelopedEvent } from '@mgov/contracts';
import { type Database, embeddedDatabase, postgresDatabase } from '@mgov/event-store';
import { windowSeriesReadModel } from '../src/application/window-series-read-model';

const databases: Array<[string, () => Promise<Database>]> = [
  ['PGlite', () => embeddedDatabase('memory://')],
  ['PostgreSQL', () => postgresDatabase(requireUrl(), { applicationName: 'mgov-monitoring-test' })],
];

/** A window evaluation as the pipeline records it (only what the read model reads). */
function evaluated(modelName: string, windowIndex: number, drift: number): EnvelopedEvent {
  return {
    type: 'MonitoringWindowEvaluated',
    data: {
      modelName, modelVersion: 2, windowIndex, windowKind: 'sliding', windowStart: 1_800_000_000_000 + windowIndex * 1000, windowEnd: 1_800_000_001_000 + windowIndex * 1000,
      featureDrift: [{ feature: 'income', metric: 'psi', value: drift }, { feature: 'region', metric: 'js', value: drift / 2 }],
      performance: [{ metric: 'accuracy', value: 0.9 - drift, baseline: 0.9 }],
      bias: [{ attribute: 'sex', metric: 'demographic_parity_difference', value: 0.05, baseline: null }],
      predictionCount: 1000 + windowIndex, labelledCount: 100, driftShare: drift > 0.2 ? 1 : 0, policyVersion: 3,
    },
  } as unknown as EnvelopedEvent;
}

describe.each(databases)('the window series read model on %s', (_name, openDatabase) => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase();
  });
  afterAll(() => db.close());

  async function modelIn(): Promise<ReturnType<typeof windowSeriesReadModel>> {
    const schema = `series_${randomBytes(5).toString('hex')}`;
    await db.query(`CREATE SCHEMA ${schema}`);
    const model = windowSeriesReadModel(schema);
    await db.transaction((tx) => model.setup(tx));
    return model;
  }
  const rows = async (model: ReturnType<typeof windowSeriesReadModel>) => ({
    series: await db.query(`SELECT model_name, model_version, window_index::text, window_start, window_end, p->>0 AS subject, p->>1 AS metric, (p->>2)::float8 AS value, (p->>3)::float8 AS baseline
      FROM ${model.windows} CROSS JOIN LATERAL jsonb_array_elements(points) AS p ORDER BY 1, 3, 6, 7`),
    windows: await db.query(`SELECT model_name, model_version, window_index::text, window_kind, window_end, prediction_count::text, labelled_count::text, drift_share, policy_version FROM ${model.windows} ORDER BY 1, 3`),
  });

  it('stores a batch of windows as it stores them one by one, once each however often they come', async () => {
    // Given window evaluations of two models, and an event the read model does not keep
    const events = [evaluated('loans', 0, 0.01), { type: 'MonitorPolicyChanged', data: {} } as unknown as EnvelopedEvent, evaluated('loans', 1, 0.3), evaluated('cards', 0, 0.1)];
    const batched = await modelIn();
    const single = await modelIn();

    // When one takes them as a batch (twice: a replay) and the other one at a time
    await db.transaction((tx) => batched.handleBatch!(tx, events));
    await db.transaction((tx) => batched.handleBatch!(tx, events));
    for (const event of events) await db.transaction((tx) => single.handle(tx, event));

    // Then both hold the same rows: 7 points and a window row per evaluation, none twice
    const fromBatch = await rows(batched);
    expect(fromBatch).toEqual(await rows(single));
    expect(fromBatch.series).toHaveLength(3 * 7);
    expect(fromBatch.windows.map((w) => [w.model_name, w.window_index, w.prediction_count, w.drift_share])).toEqual([
      ['cards', '0', '1000', 0], ['loans', '0', '1000', 0], ['loans', '1', '1001', 1],
    ]);
    expect(fromBatch.series.find((p) => p.model_name === 'loans' && p.window_index === '1' && p.subject === 'performance')).toMatchObject({ metric: 'accuracy', value: expect.closeTo(0.6, 12), baseline: 0.9 });
  });

  it('keeps window times to the millisecond, and values JSON cannot hold (NaN, infinities) as they were', async () => {
    // Given a window whose drift is not a number, with a baseline that is infinite, at times with milliseconds
    const event = evaluated('odd', 7, Number.NaN) as unknown as { data: Record<string, unknown> };
    event.data.windowStart = 1_800_000_000_123;
    event.data.windowEnd = 1_800_000_000_987;
    event.data.performance = [{ metric: 'roc_auc', value: Number.NEGATIVE_INFINITY, baseline: Number.POSITIVE_INFINITY }];
    const model = await modelIn();

    // When stored
    await db.transaction((tx) => model.handleBatch!(tx, [event as unknown as EnvelopedEvent]));

    // Then each reads back as it was
    const { series, windows } = await rows(model);
    const income = series.find((p) => p.subject === 'income')!;
    expect(Number.isNaN(income.value)).toBe(true);
    expect(new Date(income.window_start as Date).getTime()).toBe(1_800_000_000_123);
    expect(new Date(income.window_end as Date).getTime()).toBe(1_800_000_000_987);
    expect(series.find((p) => p.subject === 'performance')).toMatchObject({ value: Number.NEGATIVE_INFINITY, baseline: Number.POSITIVE_INFINITY });
    expect(new Date(windows[0]!.window_end as Date).getTime()).toBe(1_800_000_000_987);
  });

  it('reads one metric of one model version, newest window first, as many points as asked', async () => {
    // Given three windows of 'loans' version 2 and one of 'cards'
    const model = await modelIn();
    await db.transaction((tx) => model.handleBatch!(tx, [evaluated('loans', 0, 0.01), evaluated('loans', 1, 0.3), evaluated('loans', 2, 0.2), evaluated('cards', 0, 0.1)]));

    // When its income PSI is asked for, then its accuracy two points at most, then everything of window 2
    const psi = await model.series(db, { modelName: 'loans', version: 2, subject: 'income', metric: 'psi', limit: 10 });
    const accuracy = await model.series(db, { modelName: 'loans', version: 2, metric: 'accuracy', limit: 2 });
    const all = await model.series(db, { modelName: 'loans', version: 2, limit: 7 });

    // Then each point is its window's, newest first, and only the model version's
    expect(psi.map((p) => [String(p.window_index), p.subject, p.metric, p.value, p.baseline])).toEqual([
      ['2', 'income', 'psi', 0.2, null], ['1', 'income', 'psi', 0.3, null], ['0', 'income', 'psi', 0.01, null],
    ]);
    expect(accuracy.map((p) => [String(p.window_index), p.value, p.baseline])).toEqual([['2', expect.closeTo(0.7, 12), 0.9], ['1', expect.closeTo(0.6, 12), 0.9]]);
    expect(all.map((p) => String(p.window_index))).toEqual(Array(7).fill('2'));
    expect(all.map((p) => `${p.subject}/${p.metric}`)).toEqual([
      'bias:sex/demographic_parity_difference', 'income/psi', 'performance/accuracy', 'region/js', 'window/drift_share', 'window/labelled_count', 'window/prediction_count',
    ]);
    expect(new Date(all[0]!.window_end).getTime()).toBe(1_800_000_003_000);
    expect(await model.series(db, { modelName: 'loans', version: 1, limit: 10 })).toEqual([]);
  });

  it('writes nothing for a batch without window evaluations', async () => {
    const model = await modelIn();
    await db.transaction((tx) => model.handleBatch!(tx, [{ type: 'MonitorPolicyChanged', data: {} } as unknown as EnvelopedEvent]));
    expect(await rows(model)).toEqual({ series: [], windows: [] });
  });
});

function requireUrl(): string {
  const url = process.env.MGOV_DATABASE_URL;
  if (!url) throw new Error('MGOV_DATABASE_URL is not set: run through tools/infra/run-with-infra.js');
  return url;
}
