import { type EnvelopedEvent, type OpenLineageDataset, Subject, subjectKind } from '@mgov/contracts';
import type { GraphEdge, GraphFacts, NodeFact, Relation } from './graph-model';

const NONE: GraphFacts = { nodes: [], edges: [] };
const edge = (from: string, to: string, relation: Relation): GraphEdge => ({ from, to, relation });
const shortId = (id: string) => (id.length > 16 ? `${id.slice(0, 12)}…` : id);
const datasetKey = (d: OpenLineageDataset) => (d.datasetVersionId ? Subject.datasetVersion(d.datasetVersionId) : Subject.externalDataset(d.namespace, d.name));
const gateState = (datasetVersionId: string, attributes: Record<string, unknown>): GraphFacts => ({ nodes: [{ key: Subject.datasetVersion(datasetVersionId), attributes }], edges: [] });
const externalDataset = (d: OpenLineageDataset): NodeFact[] =>
  d.datasetVersionId ? [] : [{ key: datasetKey(d), label: d.name, attributes: { namespace: d.namespace, name: d.name } }];

/**
 * What one event adds to the lineage graph. Pure, so the read model over lineage's own log and the
 * reactor over experiment's and registry's topics share it, and replaying an event adds nothing new.
 */
export function graphFactsOf(event: EnvelopedEvent): GraphFacts {
  const at = new Date(event.envelope.occurredAt).toISOString();
  switch (event.type) {
    case 'SourceRegistered': {
      const { sourceId, name, kind, license, owner, licenseExpiresAt } = event.data;
      const expires = licenseExpiresAt === null ? null : new Date(licenseExpiresAt).toISOString();
      return { nodes: [{ key: Subject.source(sourceId), label: name, attributes: { kind, license, owner, licenseExpiresAt: expires, registeredAt: at } }], edges: [] };
    }
    case 'SourceLicenseRevoked':
      return { nodes: [{ key: Subject.source(event.data.sourceId), attributes: { licenseRevokedAt: at, licenseRevocationReason: event.data.reason } }], edges: [] };
    case 'DatasetVersionRegistered': {
      const { datasetVersionId, datasetName, sourceIds, parentVersionIds, rowCount } = event.data;
      const key = Subject.datasetVersion(datasetVersionId);
      return {
        nodes: [{ key, label: `${datasetName}@${shortId(datasetVersionId)}`, attributes: { datasetName, rowCount, registeredAt: at } }],
        edges: [...sourceIds.map((id) => edge(Subject.source(id), key, 'source-of')), ...parentVersionIds.map((id) => edge(Subject.datasetVersion(id), key, 'parent-of'))],
      };
    }
    case 'DatasetVersionClearedForTraining':
      return gateState(event.data.datasetVersionId, { eligible: true });
    case 'DatasetVersionTrainingEligibilityRevoked':
      return gateState(event.data.datasetVersionId, { eligible: false, eligibilityRevoked: event.data.reason });
    case 'PrivacyCleared':
    case 'PrivacyRejected':
      return gateState(event.data.datasetVersionId, { privacy: event.type === 'PrivacyCleared' ? 'cleared' : 'rejected' });
    case 'BiasScanPassed':
    case 'BiasScanFlagged':
    case 'BiasScanWaived':
      return gateState(event.data.datasetVersionId, { biasScan: { BiasScanPassed: 'passed', BiasScanFlagged: 'flagged', BiasScanWaived: 'waived' }[event.type] });
    case 'OpenLineageRunEventReceived': {
      const { runId, job, parentRun, inputs, outputs, eventType, eventTime } = event.data;
      const run = Subject.run(runId);
      const jobKey = Subject.externalJob(job.namespace, job.name);
      // One attribute per state, so events that arrive out of order still leave every state's time.
      const state = `openLineage.${eventType ?? 'OTHER'}`;
      const parent = parentRun ? Subject.run(parentRun.runId) : null;
      return {
        nodes: [
          { key: jobKey, label: job.name, attributes: { namespace: job.namespace, name: job.name } },
          { key: run, label: job.name, attributes: { openLineageJob: `${job.namespace}/${job.name}`, [state]: eventTime } },
          ...(parentRun ? [{ key: Subject.externalJob(parentRun.jobNamespace, parentRun.jobName), label: parentRun.jobName, attributes: { namespace: parentRun.jobNamespace, name: parentRun.jobName } }] : []),
          ...inputs.flatMap(externalDataset), ...outputs.flatMap(externalDataset),
        ],
        edges: [
          edge(jobKey, run, 'ran'),
          ...(parent && parentRun ? [edge(parent, run, 'parent-of'), edge(Subject.externalJob(parentRun.jobNamespace, parentRun.jobName), parent, 'ran')] : []),
          ...inputs.map((d) => edge(datasetKey(d), run, 'input-to')),
          ...outputs.map((d) => edge(run, datasetKey(d), 'produced')),
        ],
      };
    }
    case 'OpenLineageJobEventReceived': {
      // Static lineage: the job reads and writes these datasets, whichever run does it.
      const { job, inputs, outputs } = event.data;
      const jobKey = Subject.externalJob(job.namespace, job.name);
      return {
        nodes: [{ key: jobKey, label: job.name, attributes: { namespace: job.namespace, name: job.name, staticLineageAt: event.data.eventTime } }, ...inputs.flatMap(externalDataset), ...outputs.flatMap(externalDataset)],
        edges: [...inputs.map((d) => edge(datasetKey(d), jobKey, 'input-to')), ...outputs.map((d) => edge(jobKey, datasetKey(d), 'produced'))],
      };
    }
    case 'OpenLineageDatasetEventReceived': {
      const { dataset, facetNames, eventTime } = event.data;
      const [node] = externalDataset(dataset);
      const attributes = { openLineageFacets: facetNames, openLineageMetadataAt: eventTime };
      return { nodes: [node ? { ...node, attributes: { ...node.attributes, ...attributes } } : { key: datasetKey(dataset), attributes }], edges: [] };
    }
    case 'RunStarted': {
      const { runId, experimentName, datasetVersionIds } = event.data;
      const run = Subject.run(runId);
      return {
        nodes: [{ key: run, label: experimentName, attributes: { experimentName, status: 'running', startedAt: at } }],
        edges: datasetVersionIds.map((id) => edge(Subject.datasetVersion(id), run, 'input-to')),
      };
    }
    case 'RunCompleted': {
      const { runId, artifactDigest, datasetVersionIds, dataUnverified } = event.data;
      const run = Subject.run(runId);
      return {
        nodes: [{ key: run, attributes: { status: 'finished', finishedAt: at, artifactDigest, dataUnverified } }],
        edges: datasetVersionIds.map((id) => edge(Subject.datasetVersion(id), run, 'input-to')),
      };
    }
    case 'RunInputsLogged': {
      // MLflow's log_input: an MGov version is that node; anything else is an external dataset named by the client.
      const run = Subject.run(event.data.runId);
      const inputs = event.data.inputs.map((input) => (input.datasetVersionId
        ? { key: Subject.datasetVersion(input.datasetVersionId), node: null }
        : { key: Subject.externalDataset('mlflow', `${input.name}@${input.digest}`), node: { key: Subject.externalDataset('mlflow', `${input.name}@${input.digest}`), label: input.name, attributes: { namespace: 'mlflow', name: input.name, digest: input.digest, source: input.source, unverified: true } } }));
      return { nodes: inputs.flatMap((i) => (i.node ? [i.node] : [])), edges: inputs.map((i) => edge(i.key, run, 'input-to')) };
    }
    case 'ModelVersionRegistered': {
      const { modelName, version, tag, digest, runId } = event.data;
      const key = Subject.modelVersion(modelName, version);
      return { nodes: [{ key, label: tag, attributes: { modelName, version, digest, registeredAt: at } }], edges: [edge(Subject.run(runId), key, 'trained')] };
    }
    default:
      return deploymentFacts(event);
  }
}

/**
 * Registry has no deployment event yet: any event linked to both a model version and a deployment
 * (`Subject.deployment`) says that version is deployed there, so deployments appear once it emits one.
 */
function deploymentFacts(event: EnvelopedEvent): GraphFacts {
  const links = event.envelope.links;
  const deployments = links.filter((l) => subjectKind(l) === 'deployment');
  const versions = links.filter((l) => subjectKind(l) === 'model-version');
  if (deployments.length === 0 || versions.length === 0) return NONE;
  return {
    nodes: deployments.map((key) => ({ key, label: key.slice('deployment:'.length), attributes: { lastEvent: event.type, lastEventAt: new Date(event.envelope.occurredAt).toISOString() } })),
    edges: versions.flatMap((version) => deployments.map((deployment) => edge(version, deployment, 'deployed-as'))),
  };
}
