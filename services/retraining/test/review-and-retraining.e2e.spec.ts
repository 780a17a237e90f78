import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReviewCaseRow } from '../src/application/cases-read-model';
import type { RetrainingRow } from '../src/application/retrainings-read-model';
import { type Caller, datasetVersion, driftAlert, enveloped, modelRegistered, RetrainingProcess } from './retraining-process';

const sfx = randomBytes(3).toString('hex');
const model = (name: string) => `${name}-${sfx}`;
const SECRET = 'case-hook-secret';
type Hook = { headers: IncomingMessage['headers']; body: string; payload: { kind: string; caseId: string } };

describe('review cases, quarantine release and retraining runs (retraining as its own process, real Kafka and PostgreSQL)', () => {
  const rt = new RetrainingProcess();
  const hooks: Hook[] = [];
  let server: Server;
  let reviewer: Caller;
  let submitter: Caller;
  let engineer: Caller;
  const caseOf = async (m: string) => (await rt.call<ReviewCaseRow[]>('GET', `/retraining/cases?model=${m}`, reviewer)).body;
  const retrainingOf = async (m: string) => (await rt.call<RetrainingRow[]>('GET', `/retraining/retrainings?model=${m}`, reviewer)).body[0];
  const until = <T>(what: string, probe: () => Promise<T | undefined | false>, ms = 30_000) => rt.eventually(what, probe, ms);

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const payload = JSON.parse(body) as Hook['payload'];
        hooks.push({ headers: req.headers, body, payload });
        // This endpoint is "down" for one model's cases.
        res.statusCode = payload.caseId.startsWith(model('hookdown')) ? 503 : 204;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const commands = {
      [model('fresh')]: 'echo "training $MGOV_MODEL_NAME on $MGOV_DATASET_VERSION_ID as $MGOV_RETRAINING_ID"',
      [model('fails')]: 'echo "epoch 1"; echo "CUDA out of memory" >&2; exit 3',
      [model('hangs')]: 'echo "loading"; sleep 30',
    };
    await rt.start({
      MGOV_REVIEW_WEBHOOK_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, MGOV_REVIEW_WEBHOOK_SECRET: SECRET,
      MGOV_REVIEW_WEBHOOK_ATTEMPTS: '3', MGOV_REVIEW_WEBHOOK_BACKOFF_MS: '50', MGOV_REVIEW_ACK_DEADLINE_MS: '4000',
      MGOV_RETRAINING_COMMANDS: JSON.stringify(commands), MGOV_RETRAINING_TIMEOUT_MS: '1500', MGOV_RETRAINING_MAX_ATTEMPTS: '2', MGOV_RETRAINING_RETRY_BACKOFF_MS: '300',
    });
    [reviewer, submitter, engineer] = await Promise.all([
      rt.issueKey('rita', ['model-reviewer']), rt.issueKey('sam', ['model-reviewer', 'data-scientist']), rt.issueKey('mia', ['ml-engineer']),
    ]);
    for (const name of ['cases', 'fresh', 'fails', 'hangs', 'hookdown', 'idle', 'detectors']) {
      const m = model(name);
      await rt.publish('lineage', ...datasetVersion(m, `${m}-v1`, true));
      await rt.publish('registry', modelRegistered(m, `${m}-v1`, 'sam'));
    }
  }, 180_000);
  afterAll(async () => {
    await rt.stop();
    server.close();
  }, 60_000);

  it('opens one case per model version and detector, holding every alert with its evidence, window and links', async () => {
    const m = model('cases');
    const first = driftAlert(m, 'warn');
    await rt.publish('monitoring', first, first, driftAlert(m, 'warn'));
    // The alerts may overtake the registry's ModelVersionRegistered (another topic): the training data shows once it is known.
    const [row] = await until('two alerts on one case, with its training data', async () => {
      const [opened] = await caseOf(m);
      return opened?.alert_ids.length === 2 && opened.dataset_version_ids.length > 0 ? caseOf(m) : undefined;
    });
    expect(await caseOf(m)).toHaveLength(1);
    expect(row).toMatchObject({ case_id: `${m}:1:data-drift#1`, status: 'open', severity: 'warn', quarantine_status: 'none', dataset_version_ids: [`${m}-v1`] });
    expect(row!.alerts[0]).toMatchObject({ alertType: 'DataDriftDetected', evidence: { feature: 'income', metric: 'psi', threshold: 0.1 }, windowStart: expect.any(Number) });
    expect(row!.retraining_id).toBeNull();
  }, 60_000);

  it('notifies the team webhook, signed with HMAC-SHA256 over timestamp and body', async () => {
    const hook = await until('the opening notification', async () => hooks.find((h) => h.payload.caseId === `${model('cases')}:1:data-drift#1` && h.payload.kind === 'opened'));
    const expected = `sha256=${createHmac('sha256', SECRET).update(`${hook.headers['x-mgov-timestamp']}.${hook.body}`).digest('hex')}`;
    expect(hook.headers['x-mgov-signature']).toBe(expected);
    const [row] = await until('the delivery on the case', async () => ((await caseOf(model('cases')))[0]?.notifications.length ? caseOf(model('cases')) : undefined));
    expect(row!.notifications[0]).toMatchObject({ outcome: 'delivered', attempts: 1 });
  }, 60_000);

  it('records a delivery failure after the retries when the webhook is down; the case stays', async () => {
    const m = model('hookdown');
    await rt.publish('monitoring', driftAlert(m, 'warn'));
    const [row] = await until('the failed delivery', async () => ((await caseOf(m))[0]?.notifications.length ? caseOf(m) : undefined));
    expect(row!.notifications[0]).toMatchObject({ outcome: 'failed', attempts: 3, detail: expect.stringContaining('503') });
    expect(hooks.filter((h) => h.payload.caseId === row!.case_id)).toHaveLength(3);
    expect(row).toMatchObject({ status: 'open', alert_ids: [expect.any(String)] });
    expect(await rt.logged('ReviewCaseNotificationFailed')).toHaveLength(1);
  }, 60_000);

  it('escalates a case nobody acknowledged within the deadline', async () => {
    const [row] = await until('an escalation', async () => ((await caseOf(model('hookdown')))[0]?.escalated_at ? caseOf(model('hookdown')) : undefined), 30_000);
    expect(row!.escalated_at).toEqual(expect.any(String));
    expect((await rt.logged('ReviewCaseEscalated')).some((e) => e.stream_id.includes(model('hookdown')))).toBe(true);
  }, 60_000);

  it('quarantines on a breach; decisions carry actor and justification; the submitter may not release; bad decisions are refused', async () => {
    const m = model('cases');
    const caseId = `${m}:1:data-drift#1`;
    await rt.publish('monitoring', driftAlert(m, 'breach'));
    await until('quarantine', async () => (await caseOf(m))[0]?.quarantine_status === 'quarantined');
    const [row] = await caseOf(m);
    expect(row).toMatchObject({ severity: 'breach', retraining_status: 'waiting_for_data', retraining_note: expect.stringContaining('waiting') });

    const justification = { justification: 'checked the feature histograms' };
    expect((await rt.call('POST', `/retraining/cases/${encodeURIComponent(caseId)}/acknowledge`, reviewer, justification)).status).toBe(200);
    const again = await rt.call('POST', `/retraining/cases/${encodeURIComponent(caseId)}/acknowledge`, reviewer, justification);
    expect([again.status, again.code]).toEqual([409, 'RETRAINING.CASE_ALREADY_ACKNOWLEDGED']);
    const noReason = await rt.call('POST', `/retraining/cases/${encodeURIComponent(caseId)}/confirm`, reviewer, {});
    expect([noReason.status, noReason.code]).toEqual([400, 'RETRAINING.JUSTIFICATION_REQUIRED']);
    expect((await rt.call('POST', `/retraining/cases/${encodeURIComponent(caseId)}/confirm`, reviewer, justification)).status).toBe(200);

    const bySubmitter = await rt.call('POST', `/retraining/cases/${encodeURIComponent(caseId)}/release`, submitter, justification);
    expect([bySubmitter.status, bySubmitter.code]).toEqual([403, 'RETRAINING.SUBMITTER_CANNOT_RELEASE']);
    const byEngineer = await rt.call('POST', `/retraining/cases/${encodeURIComponent(caseId)}/release`, engineer, justification);
    expect(byEngineer.status).toBe(403);
    expect(await rt.logged('ModelQuarantineReleased')).toHaveLength(0);

    const released = await rt.call<{ events: string[] }>('POST', `/retraining/cases/${encodeURIComponent(caseId)}/release`, reviewer, justification);
    expect([released.status, released.body.events]).toEqual([200, ['ModelQuarantineReleased']]);
    const twice = await rt.call('POST', `/retraining/cases/${encodeURIComponent(caseId)}/release`, reviewer, justification);
    expect([twice.status, twice.code]).toEqual([409, 'RETRAINING.NOT_QUARANTINED']);
    const [after] = await until('the release on the case', async () => ((await caseOf(m))[0]?.quarantine_status === 'released' ? caseOf(m) : undefined));
    expect(after!.decisions.map((d) => [d.decision, d.by])).toEqual([['acknowledge', 'rita'], ['confirm', 'rita'], ['release', 'rita']]);

    const unknown = await rt.call('POST', `/retraining/cases/${encodeURIComponent(`${m}:1:data-drift#9`)}/acknowledge`, reviewer, justification);
    expect([unknown.status, unknown.code]).toEqual([404, 'RETRAINING.CASE_NOT_FOUND']);
    expect((await rt.call('GET', '/retraining/cases/nope', reviewer)).status).toBe(404);
    expect((await rt.call('GET', '/retraining/cases?status=closed', reviewer)).code).toBe('RETRAINING.INVALID_FILTER');
    expect((await rt.call('GET', '/retraining/retrainings?status=done', reviewer)).code).toBe('RETRAINING.INVALID_FILTER');
    expect((await rt.call('POST', `/retraining/cases/${encodeURIComponent(caseId)}/dismiss`, reviewer, justification)).status).toBe(200);
    const closed = await rt.call('POST', `/retraining/cases/${encodeURIComponent(caseId)}/confirm`, reviewer, justification);
    expect([closed.status, closed.code]).toEqual([409, 'RETRAINING.CASE_CLOSED']);
  }, 90_000);

  it('waits for fresh eligible data, runs once approved (approving twice is refused) and succeeds on the matching run', async () => {
    const m = model('fresh');
    await rt.publish('monitoring', driftAlert(m, 'breach'));
    const waiting = await until('a waiting retraining', () => retrainingOf(m));
    expect(waiting).toMatchObject({ status: 'waiting_for_data', dataset_version_id: null, retraining_id: `${m}:1:1` });
    const approve = (who: Caller) => rt.call('POST', `/retraining/retrainings/${encodeURIComponent(waiting.retraining_id)}/approve`, who, { justification: 'retrain on the cleared data' });
    expect((await approve(engineer)).status).toBe(200);
    const twice = await approve(engineer);
    expect([twice.status, twice.code]).toEqual([409, 'RETRAINING.ALREADY_APPROVED']);

    await rt.publish('lineage', ...datasetVersion(m, `${m}-v2-raw`, false), ...datasetVersion(m, `${m}-v2`, true));
    const running = await until('the run to start', async () => ((await retrainingOf(m))?.status === 'running' ? retrainingOf(m) : undefined));
    expect(running).toMatchObject({ dataset_version_id: `${m}-v2`, approved_by: 'mia', attempts: 1, runner: 'local-command' });

    await rt.publish('experiment', enveloped({
      type: 'RunCompleted',
      data: {
        runId: `run-${m}`, metrics: { accuracy: 0.9 }, artifactDigest: null, experimentId: 'e', user: 'mia', status: 'FINISHED',
        params: { 'mgov.retraining_id': waiting.retraining_id }, artifacts: [{ path: 'model/model.pkl', sha256: 'ab'.repeat(32), size: 10 }],
        datasetVersionIds: [`${m}-v2`], unknownInputs: [], dataUnverified: false,
      },
    }, `run:run-${m}`, { id: 'mia', role: 'ml-engineer' }));
    const done = await until('success', async () => ((await retrainingOf(m))?.status === 'succeeded' ? retrainingOf(m) : undefined));
    expect(done).toMatchObject({ run_id: `run-${m}`, artifact_digest: `sha256:${'ab'.repeat(32)}` });
    expect((await rt.logged('RetrainingSucceeded')).filter((e) => e.stream_id.includes(m))).toHaveLength(1);
    const [told] = await until('the case told', async () => ((await caseOf(m))[0]?.retraining_status === 'succeeded' ? caseOf(m) : undefined));
    expect(told!.retraining_note).toEqual(expect.stringContaining('candidate'));
    const late = await approve(reviewer);
    expect([late.status, late.code]).toEqual([409, 'RETRAINING.FINISHED']);
  }, 90_000);

  it('fails a training command that exits non-zero after its retries, keeping the log tail, and tells the case', async () => {
    const m = model('fails');
    await rt.publish('lineage', ...datasetVersion(m, `${m}-v2`, true));
    await rt.publish('monitoring', driftAlert(m, 'breach'));
    const requested = await until('a request', () => retrainingOf(m));
    await rt.call('POST', `/retraining/retrainings/${encodeURIComponent(requested.retraining_id)}/approve`, engineer, { justification: 'go ahead with v2' });
    const failed = await until('failure', async () => ((await retrainingOf(m))?.status === 'failed' ? retrainingOf(m) : undefined));
    expect(failed).toMatchObject({ attempts: 2, last_error: 'exit code 3', log_tail: expect.stringContaining('CUDA out of memory') });
    const [told] = await until('the case told', async () => ((await caseOf(m))[0]?.retraining_status === 'failed' ? caseOf(m) : undefined));
    expect(told!.retraining_note).toEqual(expect.stringContaining('CUDA out of memory'));
    expect((await rt.logged('RetrainingAttemptFailed')).filter((e) => e.stream_id.includes(m))).toHaveLength(2);
  }, 90_000);

  it('kills a training command that hangs past its timeout and marks the run failed', async () => {
    const m = model('hangs');
    await rt.publish('lineage', ...datasetVersion(m, `${m}-v2`, true));
    await rt.publish('monitoring', driftAlert(m, 'breach'));
    const requested = await until('a request', () => retrainingOf(m));
    await rt.call('POST', `/retraining/retrainings/${encodeURIComponent(requested.retraining_id)}/approve`, engineer, { justification: 'go ahead with v2' });
    const failed = await until('failure', async () => ((await retrainingOf(m))?.status === 'failed' ? retrainingOf(m) : undefined), 60_000);
    expect(failed).toMatchObject({ attempts: 2, last_error: expect.stringContaining('timed out'), log_tail: expect.stringContaining('loading') });
  }, 90_000);

  it('keeps one case per detector, and one quarantine and retraining for the version whichever detectors breach', async () => {
    const m = model('detectors');
    const window = { windowIndex: 1, windowStart: 0, windowEnd: 1 };
    await rt.publish('monitoring',
      enveloped({ type: 'BiasDriftDetected', data: { alertId: `${m}-b1`, modelName: m, modelVersion: 1, digest: `sha256:${m}`, severity: 'breach', attribute: 'sex', metric: 'demographic_parity_difference', value: 0.2, baseline: 0.02, threshold: 0.1, selectionRates: { f: 0.3, m: 0.5 }, ...window } }),
      enveloped({ type: 'PerformanceDecayDetected', data: { alertId: `${m}-p1`, modelName: m, modelVersion: 1, digest: `sha256:${m}`, severity: 'breach', metric: 'f1', value: 0.6, baseline: 0.8, relativeDrop: 0.25, threshold: 0.2, labelledCount: 400, ...window } }),
      driftAlert(m, 'warn'));
    const cases = await until('three cases', async () => ((await caseOf(m)).length === 3 ? caseOf(m) : undefined));
    expect(cases.map((c) => [c.detector, c.severity]).sort()).toEqual([['bias-drift', 'breach'], ['data-drift', 'warn'], ['performance-decay', 'breach']]);
    const bias = cases.find((c) => c.detector === 'bias-drift')!;
    expect(bias.alerts[0]).toMatchObject({ alertType: 'BiasDriftDetected', summary: expect.stringContaining('demographic_parity_difference over sex'), evidence: { selectionRates: { f: 0.3, m: 0.5 } } });
    const streams = (type: string) => rt.logged(type).then((events) => events.filter((e) => e.stream_id.includes(m)));
    expect(await streams('ModelQuarantined')).toHaveLength(1);
    expect(await streams('RetrainingRequested')).toHaveLength(1);
  }, 60_000);

  it('cancels a retraining; a cancelled one cannot be approved', async () => {
    const m = model('idle');
    await rt.publish('monitoring', driftAlert(m, 'breach'));
    const requested = await until('a request', () => retrainingOf(m));
    const path = `/retraining/retrainings/${encodeURIComponent(requested.retraining_id)}`;
    expect((await rt.call('POST', `${path}/cancel`, engineer, { justification: 'data owner asked to wait' })).status).toBe(200);
    const approve = await rt.call('POST', `${path}/approve`, engineer, { justification: 'data owner asked to wait' });
    expect([approve.status, approve.code]).toEqual([409, 'RETRAINING.FINISHED']);
    expect((await rt.call('POST', '/retraining/retrainings/none/approve', engineer, { justification: 'data owner asked to wait' })).code).toBe('RETRAINING.NOT_FOUND');
  }, 60_000);
});
