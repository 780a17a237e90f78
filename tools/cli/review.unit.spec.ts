import { runMgov } from './cli-harness';
import { StubServer } from './stub-server';

// `mgov review …` and `mgov retrain …` against a stub MGov that records what it was sent.
const stub = new StubServer();
const mgov = (args: readonly string[]) => runMgov(args, { MGOV_URL: stub.url, MGOV_TOKEN: 'mgov_admin01_secret' });

beforeAll(() => stub.start());
afterAll(() => stub.stop());
beforeEach(() => stub.reset());

const CASE = {
  case_id: 'credit:3:data-drift#1', model_name: 'credit', model_version: 3, detector: 'data-drift', severity: 'breach', status: 'open', quarantine_status: 'quarantined',
  opened_at: '2030-01-01T00:00:00.000Z', escalated_at: null, retraining_id: 'credit:3:1', retraining_status: 'waiting_for_data', retraining_dataset_version_id: null,
  retraining_note: 'waiting for a newer dataset version', alert_ids: ['a1'],
  alerts: [{ alertId: 'a1', severity: 'breach', summary: 'income: psi 0.41 past 0.25', windowStart: 0, windowEnd: 60_000 }], decisions: [],
};
const escaped = encodeURIComponent(CASE.case_id);

describe('mgov review', () => {
  it('lists cases with filters, as JSON by default and as a table', async () => {
    stub.on('GET /retraining/cases', [CASE]);
    const json = await mgov(['review', 'list', '--model', 'credit', '--status', 'open']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([CASE]);
    expect(stub.requests[0]!.query).toEqual({ model: 'credit', status: 'open' });
    const table = await mgov(['review', 'list', '--format', 'table']);
    expect(table.stdout).toMatch(/credit:3:data-drift#1.*credit:3.*breach.*open.*quarantined.*waiting_for_data/);
  });

  it('shows one case with its alerts and decisions', async () => {
    stub.on(`GET /retraining/cases/${escaped}`, CASE);
    const { code, stdout } = await mgov(['review', 'show', CASE.case_id, '--format', 'table']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/│ quarantine\s+│ quarantined\s+│/);
    expect(stdout).toMatch(/a1.*breach.*income: psi 0.41 past 0.25/);
    expect(stub.requests[0]!.path).toBe(`/retraining/cases/${escaped}`);
  });

  it.each([['ack', 'acknowledge'], ['dismiss', 'dismiss'], ['confirm', 'confirm'], ['release', 'release']])('%s posts the justification to …/%s', async (verb, route) => {
    stub.on(`POST /retraining/cases/${escaped}/${route}`, { caseId: CASE.case_id, events: ['X'] });
    const { code } = await mgov(['review', verb, CASE.case_id, '--justification', 'looked at the window, real']);
    expect(code).toBe(0);
    expect(stub.requests.map((r) => [r.method, r.path, r.body])).toEqual([['POST', `/retraining/cases/${escaped}/${route}`, { justification: 'looked at the window, real' }]]);
  });

  it('prints the server\'s refusal and exits 1 (the submitter releasing)', async () => {
    stub.on(`POST /retraining/cases/${escaped}/release`, { error: { code: 'RETRAINING.SUBMITTER_CANNOT_RELEASE', message: 'sam submitted credit:3 and may not release its quarantine' } }, 403);
    const { code, stderr } = await mgov(['review', 'release', CASE.case_id, '--justification', 'it is fine, trust me']);
    expect(code).toBe(1);
    expect(stderr).toContain('RETRAINING.SUBMITTER_CANNOT_RELEASE');
  });

  it('needs a justification for a decision (usage error, nothing sent)', async () => {
    const { code } = await mgov(['review', 'ack', CASE.case_id]);
    expect(code).toBe(2);
    expect(stub.requests).toHaveLength(0);
  });
});

describe('mgov retrain', () => {
  const RETRAINING = { retraining_id: 'credit:3:1', case_id: CASE.case_id, model_name: 'credit', model_version: 3, status: 'failed', dataset_version_id: 'ds', approved_by: 'mia', attempts: 2, last_error: 'exit code 3' };

  it('lists and shows retrainings', async () => {
    stub.on('GET /retraining/retrainings', [RETRAINING]);
    stub.on(`GET /retraining/retrainings/${encodeURIComponent('credit:3:1')}`, RETRAINING);
    const table = await mgov(['retrain', 'list', '--status', 'failed', '--format', 'table']);
    expect(table.stdout).toMatch(/credit:3:1.*credit:3.*failed.*ds.*mia.*2.*exit code 3/);
    expect(stub.requests[0]!.query).toEqual({ status: 'failed' });
    expect(JSON.parse((await mgov(['retrain', 'show', 'credit:3:1'])).stdout)).toEqual(RETRAINING);
  });

  it.each(['approve', 'cancel'])('%s posts the justification', async (verb) => {
    stub.on(`POST /retraining/retrainings/${encodeURIComponent('credit:3:1')}/${verb}`, { retrainingId: 'credit:3:1', events: ['X'] });
    const { code } = await mgov(['retrain', verb, 'credit:3:1', '--justification', 'fresh data is cleared']);
    expect(code).toBe(0);
    expect(stub.requests[0]!.body).toEqual({ justification: 'fresh data is cleared' });
  });

  it('reports approving twice as the server\'s conflict', async () => {
    stub.on(`POST /retraining/retrainings/${encodeURIComponent('credit:3:1')}/approve`, { error: { code: 'RETRAINING.ALREADY_APPROVED', message: 'already approved by mia' } }, 409);
    const { code, stderr } = await mgov(['retrain', 'approve', 'credit:3:1', '--justification', 'fresh data is cleared']);
    expect([code, stderr.includes('RETRAINING.ALREADY_APPROVED')]).toEqual([1, true]);
  });
});
