import { randomUUID } from 'node:crypto';
import { type Actor, type DomainEvent, type EnvelopedEvent, EVENT_CONTEXT, Subject } from '@mgov/contracts';

export const T0 = Date.UTC(2030, 0, 1, 9, 0, 0);
const MINUTE = 60_000;

const steward: Actor = { id: 'steward', role: 'data-steward' };
const scientist: Actor = { id: 'scientist', role: 'data-scientist' };
const reviewer: Actor = { id: 'reviewer', role: 'reviewer' };
const platform: Actor = { id: 'monitoring', role: 'service' };

type Data<T extends DomainEvent['type']> = Extract<DomainEvent, { type: T }>['data'];

/** Builds enveloped events of real contract types, one minute apart, with per-stream versions. */
export class FlowBuilder {
  readonly events: EnvelopedEvent[] = [];
  private readonly versions = new Map<string, number>();

  add<T extends DomainEvent['type']>(type: T, data: Data<T>, stream: string, links: string[], actor: Actor, correlationId: string): EnvelopedEvent {
    const streamVersion = (this.versions.get(stream) ?? 0) + 1;
    this.versions.set(stream, streamVersion);
    const event = {
      type,
      data,
      envelope: {
        eventId: randomUUID(), eventType: type, streamId: stream, streamVersion, occurredAt: T0 + this.events.length * MINUTE,
        actor, correlationId, causationId: this.events.at(-1)?.envelope.eventId ?? null,
        traceparent: `00-${randomUUID().replace(/-/g, '')}-${'ab'.repeat(8)}-01`, tracestate: null, links,
      },
    } as EnvelopedEvent;
    this.events.push(event);
    return event;
  }
}

export const topicOf = (event: EnvelopedEvent) => `mgov.${EVENT_CONTEXT[event.type]}.events`;

/**
 * Two model versions of `churn`: v1 trained by run r1 on d1 (derived from d0; sources crm and
 * legacy), then drifted and quarantined; v2 trained by run r2 on d2 (source web), unrelated to v1.
 */
export function governanceFlow() {
  const flow = new FlowBuilder();
  const source = (id: string, corr: string) =>
    flow.add('SourceRegistered', { sourceId: id, name: id, kind: 'database', license: 'internal', owner: 'steward', personalDataColumns: [], licenseExpiresAt: null },
      Subject.source(id), [Subject.source(id)], steward, corr);
  const dataset = (id: string, sources: string[], parents: string[], corr: string) =>
    flow.add('DatasetVersionRegistered', {
      datasetVersionId: id, datasetName: 'customers', sourceIds: sources, parentVersionIds: parents, transformation: null, rowCount: 10, columns: [],
    }, Subject.datasetVersion(id), [Subject.datasetVersion(id), ...sources.map(Subject.source), ...parents.map(Subject.datasetVersion)], steward, corr);
  const cleared = (id: string, corr: string) =>
    flow.add('DatasetVersionClearedForTraining', { datasetVersionId: id, gate: 'stub', policyVersion: 'p1' },
      Subject.datasetVersion(id), [Subject.datasetVersion(id)], steward, corr);
  const run = (id: string, datasetId: string, corr: string) => [
    flow.add('RunStarted', { runId: id, experimentName: 'churn', datasetVersionIds: [datasetId], params: { depth: '4' }, experimentId: '', runName: '', startTime: 0, user: '', tags: {} },
      Subject.run(id), [Subject.run(id), Subject.datasetVersion(datasetId)], scientist, corr),
    flow.add('RunCompleted', { runId: id, metrics: { accuracy: 0.875, demographic_parity: 0.0625 }, artifactDigest: `sha256:${id}`, experimentId: '', user: '', status: 'FINISHED', params: {}, artifacts: [], datasetVersionIds: [], unknownInputs: [], dataUnverified: false },
      Subject.run(id), [Subject.run(id)], scientist, corr),
  ];
  const modelVersion = (version: number, candidate: string, runId: string, datasetId: string, corr: string) => {
    const mv = Subject.modelVersion('churn', version);
    const common = [Subject.model('churn'), Subject.candidate(candidate)];
    return [
      flow.add('ModelVersionSubmitted', {
        modelName: 'churn', candidateId: candidate, runId, artifactDigest: `sha256:${runId}`, datasetVersionIds: [datasetId], submittedBy: 'scientist',
      }, Subject.model('churn'), [...common, Subject.run(runId), Subject.datasetVersion(datasetId)], scientist, corr),
      flow.add('ModelVersionApproved', { modelName: 'churn', candidateId: candidate, approvedBy: 'reviewer', justification: 'gates passed' },
        Subject.model('churn'), [...common, mv], reviewer, corr),
      flow.add('ModelVersionRegistered', {
        modelName: 'churn', version, tag: `churn:${version}`, digest: `sha256:${runId}`, candidateId: candidate, runId, datasetVersionIds: [datasetId],
        submittedBy: 'scientist', approvedBy: ['reviewer'], metrics: {}, policyVersion: '',
      }, Subject.model('churn'), [Subject.model('churn'), mv, Subject.candidate(candidate), Subject.run(runId), Subject.datasetVersion(datasetId)], reviewer, corr),
    ];
  };

  const v1 = 'flow-v1';
  const v2 = 'flow-v2';
  const v1Upstream = [source('crm', v1), source('legacy', v1), dataset('d0', ['legacy'], [], v1), dataset('d1', ['crm'], ['d0'], v1), cleared('d1', v1)];
  const v2Upstream = [source('web', v2), dataset('d2', ['web'], [], v2), cleared('d2', v2)];
  const v1Run = run('r1', 'd1', v1);
  const v2Run = run('r2', 'd2', v2);
  const v1Registry = modelVersion(1, 'c1', 'r1', 'd1', v1);
  const v2Registry = modelVersion(2, 'c2', 'r2', 'd2', v2);
  const drift = flow.add('DataDriftDetected', {
    alertId: 'a1', modelName: 'churn', modelVersion: 1, digest: 'sha256:r1', severity: 'breach', feature: 'age', metric: 'psi',
    value: 0.5, threshold: 0.25, windowIndex: 3, windowStart: T0, windowEnd: T0 + MINUTE,
  }, Subject.monitor('churn', 1), [Subject.modelVersion('churn', 1), Subject.model('churn')], platform, 'flow-drift');
  const quarantined = flow.add('ModelQuarantined', {
    modelName: 'churn', modelVersion: 1, digest: 'sha256:r1', reason: 'psi breach', alertIds: ['a1'], quarantinedAt: T0 + 2 * MINUTE,
  }, Subject.reviewCase('k1'), [Subject.modelVersion('churn', 1), Subject.model('churn')], platform, 'flow-drift');

  return {
    all: flow.events,
    v1Chain: [...v1Upstream, ...v1Run, ...v1Registry, drift, quarantined],
    unrelatedToV1: [...v2Upstream, ...v2Run, ...v2Registry],
  };
}
