import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { localCommandRunner } from './local-command-runner';
import type { RetrainingJob } from './runner';
import { webhookRunner } from './webhook-runner';

const job: RetrainingJob = {
  retrainingId: 'credit:3:1', attempt: 2, modelName: 'credit', modelVersion: 3, datasetVersionId: 'ab12', datasetPath: '/data/ab12.csv', params: { max_depth: '6' },
};

describe('local command runner (real child processes)', () => {
  const runner = (command: string | null, timeoutMs = 5000, logTailLines = 3) => localCommandRunner({ commandFor: () => command, timeoutMs, logTailLines });

  it('hands the job to the command in its environment and reports a clean exit as handed over', async () => {
    const outcome = await runner('test "$MGOV_RETRAINING_ID" = credit:3:1 && test "$MGOV_DATASET_PATH" = /data/ab12.csv && test "$MGOV_RETRAINING_ATTEMPT" = 2 '
      + '&& test "$MGOV_DATASET_VERSION_ID" = ab12 && test "$MGOV_RETRAINING_PARAMS" = \'{"max_depth":"6"}\'').run(job);
    expect(outcome).toEqual({ status: 'handed-over' });
  });

  it('fails a non-zero exit with the last lines of stdout and stderr', async () => {
    const outcome = await runner('for i in 1 2 3 4 5; do echo "line $i"; done; echo "fatal: no GPU" >&2; exit 7').run(job);
    expect(outcome).toEqual({ status: 'failed', reason: 'exit code 7', logTail: 'line 4\nline 5\nfatal: no GPU' });
  });

  it('kills a hanging command and everything it started when the timeout passes', async () => {
    const outcome = await runner('echo started; sleep 30 & sleep 30; echo never', 300).run(job);
    expect(outcome).toEqual({ status: 'failed', reason: 'timed out after 300 ms (killed)', logTail: 'started' });
  });

  it('fails at once when no command is configured for the model', async () => {
    expect(await runner(null).run(job)).toEqual({ status: 'failed', reason: expect.stringContaining('no training command configured for model credit'), logTail: '' });
  });
});

describe('webhook runner (real HTTP)', () => {
  let server: Server;
  let status = 202;
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  let url = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.statusCode = status;
        res.end(status >= 300 ? 'queue full' : '');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trigger`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('posts the job signed, with the run param the pipeline must log, and takes a 2xx as handed over', async () => {
    expect(await webhookRunner(url, 'orchestrator-secret').run(job)).toEqual({ status: 'handed-over' });
    const [request] = received;
    const body = JSON.parse(request!.body) as Record<string, unknown>;
    expect(body).toMatchObject({ retrainingId: 'credit:3:1', attempt: 2, datasetVersionId: 'ab12', params: { max_depth: '6' }, runParams: { 'mgov.retraining_id': 'credit:3:1' } });
    expect(body.datasetPath).toBeUndefined();
    expect(request!.headers['x-mgov-delivery']).toBe('credit:3:1#2');
    const expected = createHmac('sha256', 'orchestrator-secret').update(`${request!.headers['x-mgov-timestamp']}.${request!.body}`).digest('hex');
    expect(request!.headers['x-mgov-signature']).toBe(`sha256=${expected}`);
  });

  it('fails the attempt when the orchestrator refuses or is unreachable', async () => {
    status = 503;
    expect(await webhookRunner(url, 's').run(job)).toEqual({ status: 'failed', reason: 'the orchestrator refused the job: HTTP 503 queue full', logTail: '' });
    const gone = createServer();
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
    const { port } = gone.address() as AddressInfo;
    await new Promise<void>((r) => gone.close(() => r()));
    const closed = await webhookRunner(`http://127.0.0.1:${port}/none`, 's').run(job);
    expect(closed).toMatchObject({ status: 'failed', reason: expect.stringContaining('ECONNREFUSED') });
  });
});
