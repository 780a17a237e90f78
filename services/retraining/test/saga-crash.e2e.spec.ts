import { randomBytes } from 'node:crypto';
import { avroCodec } from '@mgov/contracts';
import { Topics } from '@mgov/messaging';
import type { RetrainingRow } from '../src/application/retrainings-read-model';
import { datasetVersion, driftAlert, enveloped, modelRegistered, RetrainingProcess } from './retraining-process';

const BREACHES = 24;

describe('the quarantine saga survives SIGKILL at any point (retraining as its own process, real Kafka and PostgreSQL)', () => {
  const rt = new RetrainingProcess();
  const suffix = randomBytes(3).toString('hex');
  const models = Array.from({ length: BREACHES }, (_, i) => `crash-${suffix}-${i}`);
  // Topics are shared by the whole suite, so this service also hears other specs' alerts: count only ours.
  const ours = async (type: string) => (await rt.logged(type)).filter((e) => models.some((m) => e.stream_id.includes(`${m}:`)));
  const slow = `slow-${suffix}`;

  beforeAll(() => rt.start({
    MGOV_RETRAINING_COMMANDS: JSON.stringify({ [slow]: 'echo "attempt $MGOV_RETRAINING_ATTEMPT"; sleep 3' }), MGOV_RETRAINING_RETRY_BACKOFF_MS: '100',
  }), 180_000);
  afterAll(() => rt.stop(), 60_000);

  it('still makes exactly one case, one quarantine and one retraining request per breach', async () => {
    for (const model of models) await rt.publish('registry', modelRegistered(model, `${model}-v1`));
    await rt.publish('lineage', ...models.flatMap((m) => [...datasetVersion(m, `${m}-v1`, true), ...datasetVersion(m, `${m}-v2`, true)]));

    // Each model gets a warning, two breaches, and every alert twice (at-least-once delivery upstream);
    // the service is killed mid-stream four times, at staggered moments.
    for (let round = 0; round < 4; round++) {
      const batch = models.slice(round * (BREACHES / 4), (round + 1) * (BREACHES / 4));
      const alerts = batch.flatMap((m) => [driftAlert(m, 'warn'), driftAlert(m, 'breach'), driftAlert(m, 'breach')]);
      await rt.publish('monitoring', ...alerts, ...alerts);
      await new Promise((r) => setTimeout(r, 50 + round * 120));
      await rt.kill();
      await rt.launch();
    }

    await rt.eventually('every breach to be handled', async () => (await ours('RetrainingRequested')).length >= BREACHES, 120_000);
    // Redeliveries after the last restart have settled once the log stops growing.
    let before = -1;
    await rt.eventually('the log to settle', async () => {
      const now = (await rt.logged()).length;
      const settled = now === before;
      before = now;
      if (!settled) await new Promise((r) => setTimeout(r, 1500));
      return settled;
    }, 60_000);

    for (const type of ['ReviewCaseOpened', 'ModelQuarantined', 'RetrainingRequested']) {
      const events = await ours(type);
      const perModel = new Map<string, number>();
      for (const e of events) {
        const model = models.find((m) => e.stream_id.includes(`${m}:`))!;
        perModel.set(model, (perModel.get(model) ?? 0) + 1);
      }
      expect({ type, models: perModel.size, counts: [...new Set(perModel.values())] }).toEqual({ type, models: BREACHES, counts: [1] });
    }
    // Each model has three distinct alerts in its one case.
    expect((await ours('ReviewCaseAlertAdded')).length).toBe(BREACHES * 3);
  }, 300_000);

  it('records a training run cut off by SIGKILL as an interrupted attempt, retries it, and succeeds once', async () => {
    await rt.publish('registry', modelRegistered(slow, `${slow}-v1`));
    await rt.publish('lineage', ...datasetVersion(slow, `${slow}-v1`, true), ...datasetVersion(slow, `${slow}-v2`, true));
    await rt.publish('monitoring', driftAlert(slow, 'breach'));
    const mia = await rt.issueKey('mia', ['ml-engineer']);
    const retraining = async () => (await rt.call<RetrainingRow[]>('GET', `/retraining/retrainings?model=${slow}`, mia)).body[0];
    const { retraining_id: id } = await rt.eventually('the request', retraining);
    expect((await rt.call('POST', `/retraining/retrainings/${encodeURIComponent(id)}/approve`, mia, { justification: 'retrain on v2 now' })).status).toBe(200);
    await rt.eventually('attempt 1 running', async () => (await retraining())?.status === 'running');

    await rt.kill();
    await rt.launch();
    const retried = await rt.eventually('attempt 2 running', async () => {
      const row = await retraining();
      return row?.status === 'running' && row.attempts === 2 ? row : undefined;
    }, 60_000);
    expect(retried.last_error).toContain('interrupted');

    await rt.publish('experiment', enveloped({
      type: 'RunCompleted',
      data: {
        runId: `run-${slow}`, metrics: {}, artifactDigest: null, experimentId: 'e', user: 'mia', status: 'FINISHED', params: { 'mgov.retraining_id': id },
        artifacts: [{ path: 'model.safetensors', sha256: 'cd'.repeat(32), size: 1 }], datasetVersionIds: [`${slow}-v2`], unknownInputs: [], dataUnverified: false,
      },
    }));
    await rt.eventually('success', async () => (await retraining())?.status === 'succeeded', 90_000);
    const mine = async (type: string) => (await rt.logged(type)).filter((e) => e.stream_id.includes(slow));
    expect([(await mine('RetrainingStarted')).length, (await mine('RetrainingAttemptFailed')).length, (await mine('RetrainingSucceeded')).length]).toEqual([2, 1, 1]);
  }, 240_000);

  it('publishes each quarantine on mgov.quarantine (redeliveries carry the same event id)', async () => {
    const consumer = rt.kafka.consumer({ groupId: `crash-check-${suffix}` });
    const seen = new Map<string, number>();
    await consumer.connect();
    await consumer.subscribe({ topic: Topics.quarantine, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const event = avroCodec().decodeEvent(message.value!);
        if (event.type === 'ModelQuarantined' && models.includes(event.data.modelName)) seen.set(event.envelope.eventId, event.data.modelVersion);
      },
    });
    try {
      await rt.eventually('every quarantine on the public topic', async () => seen.size >= BREACHES, 60_000);
      const logged = new Set((await rt.logged('ModelQuarantined')).filter((e) => models.some((m) => e.stream_id === `quarantine:${m}:1`)).map((e) => e.event_id));
      expect(new Set(seen.keys())).toEqual(logged);
    } finally {
      await consumer.disconnect();
    }
  }, 120_000);
});
