import { claimedDatasetVersion } from './dataset-matching';
import { sampleRunEvent } from './run-event.fixture';
import { openLineageEventKind, parseEventTime, validateDatasetEvent, validateJobEvent, validateRunEvent } from './run-event-validation';

const problemsOf = (body: unknown) => {
  const result = validateRunEvent(body);
  return result.ok ? [] : result.problems;
};

describe('OpenLineage RunEvent validation (spec 2-0-x)', () => {
  it('accepts what the Python client sends and pulls out run, job, parent and datasets', () => {
    const parent = { _producer: 'https://x.test/p', _schemaURL: 'https://x.test/s', run: { runId: 'AAAAAAAA-0000-4000-8000-000000000001' }, job: { namespace: 'airflow-prod', name: 'features' } };
    const base = sampleRunEvent();
    const result = validateRunEvent({ ...base, run: { runId: '0195506E-7F4C-7D1B-A7A4-2F1E3C9D8B10', facets: { parent } } });
    expect(result).toEqual({
      ok: true,
      event: expect.objectContaining({
        eventType: 'START', eventTimeMs: Date.UTC(2025, 2, 1, 10, 15, 30, 123), runId: '0195506e-7f4c-7d1b-a7a4-2f1e3c9d8b10',
        parentRun: { runId: 'aaaaaaaa-0000-4000-8000-000000000001', jobNamespace: 'airflow-prod', jobName: 'features' },
        job: { namespace: 'airflow-prod', name: 'features.build_loans' },
        inputs: [expect.objectContaining({ namespace: 'postgres://warehouse:5432', name: 'public.loans' })],
        outputs: [expect.objectContaining({ namespace: 's3://features', name: 'loans/2025-03-01.parquet' })],
      }),
    });
  });

  it('accepts every run state, no state at all, and no datasets', () => {
    for (const eventType of ['START', 'RUNNING', 'COMPLETE', 'ABORT', 'FAIL', 'OTHER', undefined]) {
      expect(problemsOf(sampleRunEvent({ eventType, inputs: undefined, outputs: undefined }))).toEqual([]);
    }
  });

  it('names every problem by its path', () => {
    const body = sampleRunEvent({
      eventType: 'DONE', eventTime: 'yesterday', producer: 'not a uri', schemaURL: undefined,
      run: { runId: '42', facets: { nominalTime: { nominalStartTime: 'x' } } }, job: { namespace: '', facets: [] },
      inputs: [{ name: 'a' }, 'b'], outputs: {},
    });
    expect(problemsOf(body)).toEqual([
      'eventTime must be an ISO 8601 date-time such as 2025-01-31T12:00:00Z, not "yesterday"',
      'producer must be a URI (scheme:…), not "not a uri"',
      'schemaURL is required',
      'eventType must be one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER, not "DONE"',
      'run.runId must be a UUID, not "42"',
      'run.facets.nominalTime._producer is required',
      'run.facets.nominalTime._schemaURL is required',
      'job.namespace must be a non-empty string',
      'job.name is required',
      'job.facets must be an object of facets',
      'inputs[0].namespace is required',
      'inputs[1] must be a dataset object {namespace, name}',
      'outputs must be an array of datasets',
    ]);
  });

  it('refuses what is no RunEvent with one clear reason', () => {
    expect(problemsOf([sampleRunEvent()])).toEqual(['the body is an array: send one OpenLineage event per request']);
    expect(problemsOf('START')).toEqual(['the body must be a JSON object: one OpenLineage event']);
    expect(problemsOf(sampleRunEvent({ run: undefined, job: undefined }))).toEqual(['run is required', 'job is required']);
    expect(problemsOf(sampleRunEvent({ schemaURL: 'https://openlineage.io/spec/3-0-0/OpenLineage.json#/$defs/RunEvent' })))
      .toEqual(['schemaURL names spec 3-x; this endpoint speaks 2-0-x']);
  });

  it('reads event times with or without an offset (naive times are UTC) and refuses impossible dates', () => {
    expect(parseEventTime('2025-03-01T10:15:30Z')).toBe(Date.UTC(2025, 2, 1, 10, 15, 30));
    expect(parseEventTime('2025-03-01T10:15:30.5+02:00')).toBe(Date.UTC(2025, 2, 1, 8, 15, 30, 500));
    expect(parseEventTime('2025-03-01T10:15:30-0130')).toBe(Date.UTC(2025, 2, 1, 11, 45, 30));
    expect(parseEventTime('2025-03-01T10:15:30.123456')).toBe(Date.UTC(2025, 2, 1, 10, 15, 30, 123));
    for (const bad of ['2025-02-30T00:00:00Z', '2025-13-01T00:00:00Z', '2025-03-01', '2025-03-01T25:00:00Z', '2025-03-01T10:61:00Z']) {
      expect(parseEventTime(bad)).toBeNull();
    }
  });
});

describe('OpenLineage static lineage: JobEvent and DatasetEvent (spec 2-0-x)', () => {
  const base = { eventTime: '2025-03-01T10:15:30Z', producer: 'https://dbt.test/p' };
  const jobEvent = { ...base, schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent', job: { namespace: 'dbt', name: 'marts.loans' },
    inputs: [{ namespace: 'pg', name: 'public.loans' }], outputs: [{ namespace: 'pg', name: 'marts.loans' }] };
  const datasetEvent = { ...base, schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent',
    dataset: { namespace: 'pg', name: 'marts.loans', facets: { schema: { _producer: 'https://p', _schemaURL: 'https://s', fields: [] } } } };

  it('tells the three kinds apart by the schemaURL fragment, else by shape', () => {
    expect(openLineageEventKind(jobEvent)).toBe('job');
    expect(openLineageEventKind(datasetEvent)).toBe('dataset');
    expect(openLineageEventKind(sampleRunEvent())).toBe('run');
    expect(openLineageEventKind({ ...jobEvent, schemaURL: 'https://x.test/schema.json' })).toBe('job');
    expect(openLineageEventKind({ ...datasetEvent, schemaURL: 'https://x.test/schema.json' })).toBe('dataset');
    expect(openLineageEventKind({})).toBe('run');
  });

  it('accepts a JobEvent with its job and datasets, and names every problem by its path', () => {
    expect(validateJobEvent(jobEvent)).toMatchObject({ ok: true, event: { job: { namespace: 'dbt', name: 'marts.loans' }, eventTimeMs: Date.UTC(2025, 2, 1, 10, 15, 30) } });
    expect(validateJobEvent({ ...jobEvent, job: { name: 'x' }, outputs: [{}] })).toEqual({ ok: false, problems: ['job.namespace is required', 'outputs[0].namespace is required', 'outputs[0].name is required'] });
  });

  it('accepts a DatasetEvent with its facets, and refuses one without a dataset', () => {
    expect(validateDatasetEvent(datasetEvent)).toMatchObject({ ok: true, event: { dataset: { namespace: 'pg', name: 'marts.loans', facets: { schema: expect.any(Object) } } } });
    expect(validateDatasetEvent({ ...datasetEvent, dataset: undefined })).toEqual({ ok: false, problems: ['dataset is required'] });
    expect(validateDatasetEvent({ ...datasetEvent, dataset: { namespace: 'pg', name: 'x', facets: { schema: {} } } })).toEqual({
      ok: false, problems: ['dataset.facets.schema._producer is required', 'dataset.facets.schema._schemaURL is required'],
    });
  });
});

describe('matching OpenLineage datasets to MGov dataset versions', () => {
  const id = 'ab'.repeat(32);
  const dataset = (namespace: string, name: string, facets = {}) => ({ namespace, name, facets });

  it('reads the version id from the mgov namespace or from a version or mgov facet', () => {
    expect(claimedDatasetVersion(dataset('mgov', id))).toBe(id);
    expect(claimedDatasetVersion(dataset('MGOV', `dataset-version:${id.toUpperCase()}`))).toBe(id);
    expect(claimedDatasetVersion(dataset('mgov://prod', `loans@${id}`))).toBe(id);
    expect(claimedDatasetVersion(dataset('s3://bucket', 'loans.csv', { version: { datasetVersion: id } }))).toBe(id);
    expect(claimedDatasetVersion(dataset('s3://bucket', 'loans.csv', { mgov: { datasetVersionId: id } }))).toBe(id);
  });

  it('claims nothing for other datasets', () => {
    expect(claimedDatasetVersion(dataset('mgov', 'loans'))).toBeNull();
    expect(claimedDatasetVersion(dataset('postgres://db:5432', id))).toBeNull();
    expect(claimedDatasetVersion(dataset('s3://bucket', 'x', { version: { datasetVersion: 'v3' } }))).toBeNull();
  });
});
