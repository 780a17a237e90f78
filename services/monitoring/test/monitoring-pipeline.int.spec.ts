import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { register } from 'prom-client';
import type { ColumnProfile } from '@mgov/contracts';
import { InferenceClient } from '@mgov/inference-client';
import { DeadLetterHeaders, Topics } from '@mgov/messaging';
import { categoryCountsOf, layoutOf, numericCountsOf, type WindowCounts } from '@mgov/monitoring-domain';
import { profileColumns } from '@mgov/stats';
import { waitFor } from '@mgov/testing';
import { PIPELINE_GROUP } from '../src/application/monitoring-pipeline';
import { restoreLabelJoin } from '../src/application/label-join-snapshot';
import { engineer, type MonitoringHost, monitoringHost, registerModelVersion } from './monitoring-host';

const databaseUrl = process.env.MGOV_DATABASE_URL;
const brokers = process.env.MGOV_KAFKA_BROKERS;
const regions = ['north', 'south', 'east', 'west'];
const training = Array.from({ length: 2_000 }, (_, i) => ({ income: (i * 37) % 1_000, region: regions[i % 4]! }));
const profile: ColumnProfile[] = profileColumns(training);

// Needs a real PostgreSQL and Kafka: `node tools/infra/run-with-infra.js npx jest services/monitoring --runInBand`.
if (!databaseUrl || !brokers) throw new Error('MGOV_DATABASE_URL and MGOV_KAFKA_BROKERS must be set: run the suite with tools/infra/run-with-infra.js');
describe('monitoring pipeline on Kafka + PostgreSQL', () => {
  const model = `loans-${randomBytes(3).toString('hex')}`;
  let host: MonitoringHost;
  let client: InferenceClient;
  const monitorEvents = async () => (await host.kernel.runtime.store.readStream(`monitor:${model}:1`)).map((e) => e.type);

  beforeAll(async () => {
    // The label join is saved with every batch here (joinCheckpointMs 0): what a crash would find is checked below.
    // Fetching on a thread of its own (off by default), so these specs hold for that path too.
    host = await monitoringHost({ databaseUrl: databaseUrl!, brokers: brokers!, windowSize: 100, allowedLatenessMs: 500, joinCheckpointMs: 0, fetchThread: true });
    client = new InferenceClient({ transport: { kind: 'kafka', brokers: brokers! }, batchSize: 500 });
    await registerModelVersion(host.bus, { modelName: model, version: 1, profile, metrics: { accuracy: 0.95, f1: 0.95 } });
    await waitFor(() => host.service.monitoredVersion(model, 1).then(() => true, () => false), 90_000);
    // Two features and 100-event windows: the drift share is too coarse to judge here.
    await host.service.setPolicy(model, { window: { unit: 'events', size: 100, slide: 100 }, performance: { minLabelled: 20 }, dataDrift: { driftShare: { warn: 1, breach: 1 } } }, engineer('test'));
  }, 180_000);
  afterAll(async () => {
    await client?.close();
    await host?.stop();
    await host?.drop();
  });

  let n = 0;
  const send = async (rows: typeof training, options: { shift?: number; wrong?: boolean } = {}) => {
    for (const row of rows) {
      n += 1;
      const id = `${model}-p${n}`;
      await client.predict({
        predictionId: id, modelName: model, modelVersion: 1, eventTime: Date.UTC(2030, 0, 1) + n,
        numericFeatures: { income: row.income + (options.shift ?? 0) }, categoricalFeatures: { region: row.region }, predictedClass: '1', score: 0.9,
      });
      // Every fifth prediction gets its outcome later, on mgov.outcomes.
      if (n % 5 === 0) await client.outcome({ predictionId: id, groundTruth: options.wrong ? '0' : '1' });
    }
    await client.flush();
  };

  it('records the policy change as an event: its version judges every window', async () => {
    expect(await host.service.policyHistory(model)).toEqual([
      expect.objectContaining({ modelName: model, policyVersion: 1, changedBy: 'test', change: expect.stringContaining('"minLabelled":20') }),
    ]);
    expect(await host.service.policy(model)).toMatchObject({ version: 1, window: { size: 100 }, performance: { minLabelled: 20 } });
    const [changed] = await host.kernel.runtime.store.readStream(`monitoring-policy:${model}`);
    expect(changed?.type).toBe('MonitoringPolicyChanged');
  });

  it('evaluates windows, joins outcomes, and raises data drift and performance decay on the bus', async () => {
    await send(training.slice(0, 300));
    await waitFor(async () => (await monitorEvents()).filter((t) => t === 'MonitoringWindowEvaluated').length >= 2, 90_000);
    await send(training.slice(300, 500), { shift: 5_000, wrong: true });
    // Labels count in the window open when they arrive: the wrong ones land in the next windows.
    await send(training.slice(500, 600), { wrong: true });
    await waitFor(async () => (await monitorEvents()).includes('PerformanceDecayDetected'), 90_000);
    await host.kernel.catchUpReadModels();
    const alerts = await host.service.listAlerts(model, 1);
    expect(alerts).toContainEqual(expect.objectContaining({ kind: 'data', feature: 'income', metric: 'psi', severity: 'breach' }));
    expect(alerts).toContainEqual(expect.objectContaining({ kind: 'performance', metric: 'accuracy', severity: 'breach', baseline: 0.95 }));
    expect(alerts.filter((a) => Number(a.window_index) < 3)).toEqual([]);
    expect(alerts.filter((a) => a.kind === 'data' && a.feature === 'income').map((a) => Number(a.window_index))).toEqual([3, 4]);
    const labelled = await host.service.series(model, 1, { subject: 'window', metric: 'labelled_count' });
    const total = labelled.reduce((sum, p) => sum + p.value, 0);
    expect(total).toBeGreaterThanOrEqual(60);
    expect(total).toBeLessThanOrEqual(120);
    const accuracy = await host.service.series(model, 1, { subject: 'performance', metric: 'accuracy' });
    // The right labels (first 300 predictions) and then the wrong ones, each in the window open when it arrived.
    expect(accuracy.map((p) => p.baseline)).toEqual(accuracy.map(() => 0.95));
    expect(Math.max(...accuracy.map((p) => p.value))).toBeGreaterThan(0.5);
    expect(Math.min(...accuracy.map((p) => p.value))).toBeLessThan(0.5);
    const health = await host.service.health(model);
    expect(health.versions).toEqual([expect.objectContaining({ version: 1, status: 'breach' })]);
  }, 240_000);

  it('shows its progress on /metrics: batches timed, labels waiting, how far behind real time', async () => {
    const value = async (name: string) => (await register.getSingleMetric(name)!.get()).values;
    expect((await value('mgov_monitoring_batch_seconds')).find((v) => (v as { metricName?: string }).metricName === 'mgov_monitoring_batch_seconds_count')!.value).toBeGreaterThan(0);
    // Set after each batch (a batch may land between the two reads): predictions without labels are waiting.
    expect((await value('mgov_monitoring_awaiting_labels'))[0]!.value).toBeGreaterThan(0);
    // The test's predictions are dated 2030: in the future, so no lag.
    expect((await value('mgov_monitoring_event_time_lag_seconds'))[0]!.value).toBe(0);
    // The latest window's metrics are set on their gauges when scraped: one per feature and metric.
    const ofModel = (values: Awaited<ReturnType<typeof value>>) => values.filter((v) => v.labels.model === model);
    const drift = ofModel(await value('mgov_monitoring_feature_drift'));
    expect(new Set(drift.map((v) => v.labels.feature)).size).toBe(profile.filter((c) => c.kind === 'numeric' || c.kind === 'categorical').length);
    expect(drift.every((v) => Number.isFinite(v.value))).toBe(true);
    expect(ofModel(await value('mgov_monitoring_drift_share'))).toHaveLength(1);
  });

  it('sends undecodable events to mgov.dlq with the reason, and keeps counting', async () => {
    const marker = `garbage-${randomBytes(3).toString('hex')}`;
    await host.bus.publish(Topics.predictions, [{ key: marker, value: Buffer.from('not avro at all') }]);
    const before = (await monitorEvents()).filter((t) => t === 'MonitoringWindowEvaluated').length;
    await send(training.slice(600, 700));
    const kafka = new Kafka({ brokers: brokers!.split(','), logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `dlq-reader-${marker}` });
    const letters: Record<string, string>[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: Topics.dlq, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        if (message.key?.toString() !== marker) return;
        letters.push(Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])));
      },
    });
    await waitFor(() => letters.length > 0, 90_000);
    await consumer.disconnect();
    expect(letters[0]).toEqual(expect.objectContaining({
      [DeadLetterHeaders.code]: 'CONTRACTS.BAD_MAGIC', [DeadLetterHeaders.sourceTopic]: Topics.predictions, [DeadLetterHeaders.sourceGroup]: PIPELINE_GROUP,
    }));
    await waitFor(async () => (await monitorEvents()).filter((t) => t === 'MonitoringWindowEvaluated').length > before, 90_000);
  }, 180_000);

  it('closes a time window when event time has passed it, without waiting for the model\'s next prediction', async () => {
    const quiet = `${model}-hourly`;
    await registerModelVersion(host.bus, { modelName: quiet, version: 1, profile, metrics: { accuracy: 0.95 } });
    await waitFor(() => host.service.monitoredVersion(quiet, 1).then(() => true, () => false), 90_000);
    await host.service.setPolicy(quiet, { window: { unit: 'ms', size: 10_000, slide: 10_000 } }, engineer('test'));
    // Dated now, in the current ten seconds (the other predictions are dated 2030: too far ahead of
    // the clock to move the stream's event time).
    const start = Math.floor(Date.now() / 10_000) * 10_000;
    for (let i = 0; i < 20; i += 1) {
      await client.predict({
        predictionId: `${quiet}-p${i}`, modelName: quiet, modelVersion: 1, eventTime: start + i * 400,
        numericFeatures: { income: training[i]!.income }, categoricalFeatures: { region: training[i]!.region }, predictedClass: '1', score: 0.9,
      });
    }
    await client.flush();
    // No later prediction comes: the clock moves the watermark past the ten seconds, and the window closes.
    const windows = async () => (await host.kernel.runtime.store.readStream(`monitor:${quiet}:1`)).filter((e) => e.type === 'MonitoringWindowEvaluated');
    await waitFor(async () => (await windows()).length === 1, 120_000);
    const [evaluated] = await windows();
    expect(host.kernel.runtime.codec.decodeEvent(evaluated!.data).data).toMatchObject({
      windowIndex: Math.floor(start / 10_000), windowKind: 'tumbling', windowUnit: 'ms', predictionCount: 20, windowStart: start, windowEnd: start + 19 * 400,
    });
  }, 240_000);

  it('saves the label join with its batch: a crash now would find every waiting prediction', async () => {
    // The last batch stored (nothing in flight: the earlier specs waited for their windows).
    const [saved] = await host.db.query<{ offsets: string; snapshot: Buffer }>('SELECT offsets, snapshot FROM mgov_monitoring.label_join_snapshots_v1');
    const positions = await host.db.query<{ topic: string; partition: number; next_offset: string }>(
      'SELECT topic, partition, next_offset::text FROM mgov_monitoring.pipeline_offsets_v1 ORDER BY topic, partition',
    );
    expect(saved!.offsets).toBe(JSON.stringify(positions.map((r) => [r.topic, r.partition, r.next_offset])));
    expect(restoreLabelJoin(saved!.snapshot, 7 * 24 * 3600 * 1000, 200_000).size).toBe(host.service.pipeline.awaitingLabels);
    expect(host.service.pipeline.awaitingLabels).toBeGreaterThan(100);
  });

  it('keeps the predictions waiting for a label across a graceful restart', async () => {
    await host.stop();
    const waiting = host.service.pipeline.awaitingLabels;
    expect(waiting).toBeGreaterThan(100);
    host = await host.start();
    expect(host.service.pipeline.awaitingLabels).toBe(waiting);
    // The outcome of a prediction made before the restart still finds it.
    const unlabelled = [n - 1, n - 2].find((k) => k % 5 !== 0)!;
    await client.outcome({ predictionId: `${model}-p${unlabelled}`, groundTruth: '1' });
    await client.flush();
    await waitFor(async () => host.service.pipeline.awaitingLabels === waiting - 1, 60_000);
    // Windows go on from where the stream was (its position is stored with the ring): the next index, once.
    const before = (await monitorEvents()).filter((t) => t === 'MonitoringWindowEvaluated').length;
    await send(training.slice(0, 100));
    await waitFor(async () => (await monitorEvents()).filter((t) => t === 'MonitoringWindowEvaluated').length > before, 60_000);
    expect((await monitorEvents()).filter((t) => t === 'MonitoringWindowEvaluated')).toHaveLength(before + 1);
  }, 180_000);

  it('counts on a ring stored before a window\'s counts were one array per kind of feature', async () => {
    type Counts = { count: number; numeric: number[]; categorical: number[]; unseen?: unknown[] };
    const layout = layoutOf(profile);
    const storedRing = async () => (await host.db.query<{ ring: { slots: Counts[] } }>(
      'SELECT ring FROM mgov_monitoring.window_rings_v2 WHERE model_name = $1 AND version = 1', [model],
    ))[0]!.ring;
    const storedSlot = async () => (await storedRing()).slots[0]!;
    const storedAfter = async (predictions: number) => {
      const ends = (await send(training.slice(0, predictions)), await topicEnds());
      await waitFor(() => storedUpTo(ends), 60_000);
    };
    // Given the open window at fewer than 80 predictions
    const open = (await storedSlot()).count;
    if (open >= 80) await storedAfter(100 - open);
    const before = (await storedSlot()).count;
    // And its ring rewritten as the version before stored rings: an array per numeric feature, a { known, unseen } per categorical one
    await host.stop();
    const slot = await storedSlot() as unknown as WindowCounts;
    const asBefore = {
      ...slot, unseen: undefined,
      numeric: layout.numeric.map((_, f) => numericCountsOf(slot, layout, f)),
      categorical: layout.categorical.map((_, f) => categoryCountsOf(slot, layout, f)),
    };
    await host.db.query('UPDATE mgov_monitoring.window_rings_v2 SET ring = $2::json WHERE model_name = $1 AND version = 1', [model, JSON.stringify({ ...(await storedRing()), slots: [asBefore] })]);
    expect(Array.isArray((await storedSlot()).numeric[0])).toBe(true);
    // When the service starts again and counts 20 more predictions
    host = await host.start();
    await storedAfter(20);
    // Then the window holds them all, stored in today's shape: each feature counted once per prediction
    const after = await storedSlot();
    expect(after.count).toBe(before + 20);
    expect(after.numeric.reduce((sum, c) => sum + c, 0)).toBe(layout.numeric.length * (before + 20));
    const unseen = (after.unseen as Array<Record<string, number>>).flatMap((values) => Object.values(values));
    expect([...after.categorical, ...unseen].reduce((sum, c) => sum + c, 0)).toBe(layout.categorical.length * (before + 20));
  }, 180_000);

  it('after a crash, restores the join of its last save: outcomes of predictions waiting then are still joined', async () => {
    await host.stop();
    const waiting = host.service.pipeline.awaitingLabels;
    // As after a crash: batches were stored after the join was last saved (its read positions are older).
    await host.db.query(`UPDATE mgov_monitoring.label_join_snapshots_v1 SET offsets = '[]'`);
    host = await host.start();
    expect(host.service.pipeline.awaitingLabels).toBe(waiting);
    const unlabelled = [n - 3, n - 4, n - 6].find((k) => k % 5 !== 0)!;
    await client.outcome({ predictionId: `${model}-p${unlabelled}`, groundTruth: '0' });
    await client.flush();
    await waitFor(async () => host.service.pipeline.awaitingLabels === waiting - 1, 60_000);
  }, 180_000);

  /**
   * The next write of a read position fails, once (after `delaySeconds`); a sequence counts the
   * writes (it is not rolled back with the transaction). Returns whether it failed and a later write passed, and the cleanup.
   */
  const failNextPositionWrite = async (name: string, delaySeconds = 0) => {
    await host.db.query(`CREATE SEQUENCE mgov_monitoring.${name}`);
    await host.db.query(`CREATE FUNCTION mgov_monitoring.${name}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF nextval('mgov_monitoring.${name}') = 1 THEN PERFORM pg_sleep(${delaySeconds}); RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`);
    await host.db.query(`CREATE TRIGGER ${name} BEFORE INSERT OR UPDATE ON mgov_monitoring.pipeline_offsets_v1 FOR EACH ROW EXECUTE FUNCTION mgov_monitoring.${name}()`);
    return {
      failedThenPassed: async () => Number((await host.db.query<{ last_value: string }>(`SELECT last_value FROM mgov_monitoring.${name}`))[0]!.last_value) > 1,
      remove: async () => {
        await host.db.query(`DROP TRIGGER ${name} ON mgov_monitoring.pipeline_offsets_v1`);
        await host.db.query(`DROP FUNCTION mgov_monitoring.${name}(); DROP SEQUENCE mgov_monitoring.${name}`);
      },
    };
  };
  /** Each partition's end on the monitoring topics now. */
  const topicEnds = async () => {
    const admin = new Kafka({ brokers: brokers!.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      return (await Promise.all([Topics.predictions, Topics.outcomes].map(async (topic) => (await admin.fetchTopicOffsets(topic)).map((p) => [`${topic}:${p.partition}`, BigInt(p.high)] as const)))).flat();
    } finally {
      await admin.disconnect();
    }
  };
  /** Whether the pipeline stored its read positions up to `ends`. */
  const storedUpTo = async (ends: ReadonlyArray<readonly [string, bigint]>) => {
    const stored = new Map((await host.db.query<{ topic: string; partition: number; next_offset: string }>('SELECT topic, partition, next_offset FROM mgov_monitoring.pipeline_offsets_v1'))
      .map((r) => [`${r.topic}:${r.partition}`, BigInt(r.next_offset)]));
    return ends.every(([partition, end]) => (stored.get(partition) ?? 0n) >= end);
  };

  it('undoes what a failed batch did to the label join: when it comes again its predictions wait once, and its outcome joins', async () => {
    const waiting = host.service.pipeline.awaitingLabels;
    // Given the next write of a read position fails, once
    const failure = await failNextPositionWrite('fail_once');
    try {
      // When an outcome for a waiting prediction and 10 predictions without one are published
      const unlabelled = [n - 7, n - 8, n - 9].find((k) => k % 5 !== 0)!;
      await client.outcome({ predictionId: `${model}-p${unlabelled}`, groundTruth: '1' });
      for (let i = 0; i < 10; i += 1) {
        n += 1;
        await client.predict({ predictionId: `${model}-p${n}`, modelName: model, modelVersion: 1, eventTime: Date.UTC(2030, 0, 1) + n, numericFeatures: { income: 5 }, categoricalFeatures: { region: 'north' } });
      }
      await client.flush();
      const ends = await topicEnds();

      // Then a batch failed and came again, everything is stored, and the join holds 10 more and one fewer
      await waitFor(async () => (await failure.failedThenPassed()) && storedUpTo(ends), 60_000, 'the failed batch stored on its second delivery');
      expect(host.service.pipeline.awaitingLabels).toBe(waiting + 10 - 1);
    } finally {
      await failure.remove();
    }
  }, 180_000);

  /** Predictions of a version counted into its stored ring so far (its windows are by event count). */
  const countedSoFar = async (version = 1) => {
    const [stored] = await host.db.query<{ ring: { openIndex: number; slide: number; slots: Array<{ count: number }> } }>(
      'SELECT ring FROM mgov_monitoring.window_rings_v2 WHERE model_name = $1 AND version = $2', [model, version],
    );
    if (stored === undefined) return 0;
    const { openIndex, slide, slots } = stored.ring;
    return openIndex * slide + slots[openIndex % slots.length]!.count;
  };

  it('counts the batch taken while the one before failed to store once: both come again, nothing twice', async () => {
    const waiting = host.service.pipeline.awaitingLabels;
    const counted = await countedSoFar();
    // Given the next write of a read position takes a second, and then fails (once)
    const failure = await failNextPositionWrite('slow_fail_once', 1);
    const predict = async (count: number) => {
      for (let i = 0; i < count; i += 1) {
        n += 1;
        await client.predict({ predictionId: `${model}-p${n}`, modelName: model, modelVersion: 1, eventTime: Date.UTC(2030, 0, 1) + n, numericFeatures: { income: 5 }, categoricalFeatures: { region: 'north' } });
      }
      await client.flush();
    };
    try {
      // When 10 predictions are published, and 10 more while the first batch's transaction is under way
      await predict(10);
      await new Promise((resolve) => setTimeout(resolve, 400));
      await predict(10);
      const ends = await topicEnds();

      // Then the failure happened, everything is stored, and each prediction was counted and waits once
      await waitFor(async () => (await failure.failedThenPassed()) && storedUpTo(ends), 60_000, 'the failed batch and the one after it stored');
      expect(await countedSoFar()).toBe(counted + 20);
      expect(host.service.pipeline.awaitingLabels).toBe(waiting + 20);
    } finally {
      await failure.remove();
    }
  }, 180_000);

  it('counts a batch of many slices whole, with versions it had not seen in the middle of it, each prediction once', async () => {
    // Given a second version registered, and the service stopped while 6,000 predictions are published (one
    // batch, or a few, once it is back): 6 of version 2 along the way, the 3,000th of a version monitoring does not know
    await registerModelVersion(host.bus, { modelName: model, version: 2, profile, metrics: { accuracy: 0.9 } });
    await waitFor(() => host.service.monitoredVersion(model, 2).then(() => true, () => false), 90_000);
    const counted = await countedSoFar();
    await host.stop();
    const versionOf = (i: number) => (i === 3_000 ? 7 : i % 1_000 === 500 ? 2 : 1);
    for (let i = 0; i < 6_000; i += 1) {
      n += 1;
      await client.predict({
        predictionId: `${model}-p${n}`, modelName: model, modelVersion: versionOf(i), eventTime: Date.UTC(2030, 0, 1) + n,
        numericFeatures: { income: (n * 37) % 1_000 }, categoricalFeatures: { region: regions[n % 4]! },
      });
    }
    await client.flush();
    const ends = await topicEnds();

    // When it starts again and catches up (counting pauses every 2,048 messages, and at the versions it looks up)
    host = await host.start();
    await waitFor(() => storedUpTo(ends), 120_000, 'the 6,000 predictions stored');

    // Then each of version 1's 5,993 and version 2's 6 was counted once, and version 7's was not windowed
    expect(await countedSoFar()).toBe(counted + 5_993);
    expect(await countedSoFar(2)).toBe(6);
    expect(await host.db.query('SELECT 1 FROM mgov_monitoring.window_rings_v2 WHERE model_name = $1 AND version = 7', [model])).toEqual([]);
  }, 240_000);

  it('replays after a restart (offsets rewound, state lost) without a duplicate alert', async () => {
    const events = await monitorEvents();
    await host.stop();
    const kafka = new Kafka({ brokers: brokers!.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    for (const topic of [Topics.predictions, Topics.outcomes]) await admin.resetOffsets({ groupId: PIPELINE_GROUP, topic, earliest: true });
    await admin.disconnect();
    // The worst case: the stored rings and read positions are gone too, so every window is rebuilt and closed again.
    await host.db.query(`TRUNCATE mgov_monitoring.window_rings_v2, mgov_monitoring.pipeline_offsets_v1`);
    host = await host.start();
    await send(training.slice(700, 800));
    await waitFor(async () => (await monitorEvents()).length > events.length, 120_000);
    const after = await monitorEvents();
    expect(after.slice(0, events.length)).toEqual(events);
    // Only the new window (and any alert in it) was added: nothing of the replayed windows twice.
    expect(after.slice(events.length).filter((t) => t === 'MonitoringWindowEvaluated')).toHaveLength(1);
    const ids = (await host.service.listAlerts(model, 1)).map((a) => a.alert_id);
    expect(new Set(ids).size).toBe(ids.length);
  }, 240_000);
});
