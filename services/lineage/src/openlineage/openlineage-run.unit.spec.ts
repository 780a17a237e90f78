import type { OpenLineageRunEventReceived, OpenLineageRunEventReceivedData } from '@mgov/contracts';
import { deciderSpec } from '@mgov/testing';
import { canonicalJson } from './canonical-json';
import { openLineageLinks, openLineageRunDecider } from './openlineage-run';

const metadata = { actor: { id: 'airflow', role: 'ml-engineer' }, now: 1_790_000_000_000, correlationId: 'c' };
const data = (overrides: Partial<OpenLineageRunEventReceivedData> = {}): OpenLineageRunEventReceivedData => ({
  runId: 'r1', eventType: 'START', eventTime: '2025-03-01T10:00:00Z', eventTimeMs: 1, producer: 'https://p', schemaURL: 'https://s',
  job: { namespace: 'airflow', name: 'build' }, parentRun: null, inputs: [], outputs: [], eventDigest: 'd-start', event: '{}', ...overrides,
});
const received = (d: OpenLineageRunEventReceivedData): OpenLineageRunEventReceived => ({ type: 'OpenLineageRunEventReceived', data: d });
const record = (d: OpenLineageRunEventReceivedData) => ({ type: 'RecordOpenLineageRunEvent' as const, data: d, metadata });
const spec = deciderSpec(openLineageRunDecider);

describe('an OpenLineage run', () => {
  it('records each event its integration sends, in whatever order', () => {
    const complete = data({ eventType: 'COMPLETE', eventDigest: 'd-complete' });
    spec.given([]).when(record(complete)).then([received(complete)]);
    spec.given([received(complete)]).when(record(data())).then([received(data())]);
  });

  it('records a retried event once', () => {
    spec.given([received(data())]).when(record(data())).then([]);
  });

  it('belongs to one job', () => {
    spec.given([received(data())]).when(record(data({ job: { namespace: 'airflow', name: 'other' }, eventDigest: 'd2' })))
      .thenThrows('LINEAGE.OPENLINEAGE_RUN_JOB_MISMATCH');
  });

  it('is linked to its run, job, parent run and datasets (MGov versions where matched)', () => {
    const event = received(data({
      parentRun: { runId: 'p1', jobNamespace: 'airflow', jobName: 'dag' },
      inputs: [{ namespace: 'mgov', name: 'x', datasetVersionId: 'abc' }], outputs: [{ namespace: 's3://b', name: 'out', datasetVersionId: null }],
    }));
    expect(openLineageLinks(event)).toEqual(['run:r1', 'external-job:airflow:build', 'run:p1', 'dataset-version:abc', 'external-dataset:s3://b:out']);
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every level, so key order does not change the digest', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { f: null, e: 'x' }], c: true }, u: undefined })).toBe('{"a":{"c":true,"d":[3,{"e":"x","f":null}]},"b":1}');
  });
});
