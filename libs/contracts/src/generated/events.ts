// Generated from proto/ by `npm run contracts:generate`; do not edit. A test fails when it is stale.

export interface Envelope {
  readonly eventId: string;
  readonly eventType: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly occurredAt: number;
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: null | string;
  readonly traceparent: null | string;
  readonly tracestate: null | string;
  readonly links: ReadonlyArray<string>;
}

export interface Actor {
  readonly id: string;
  readonly role: string;
}

export interface ApiKeyIssuedData {
  readonly keyId: string;
  readonly name: string;
  readonly roles: ReadonlyArray<string>;
  readonly secretHash: string;
  readonly hashAlgorithm: string;
  readonly expiresAt: null | number;
}

export interface ApiKeyIssued {
  readonly type: 'ApiKeyIssued';
  readonly data: ApiKeyIssuedData;
}

export interface ApiKeyRevokedData {
  readonly keyId: string;
  readonly reason: string;
}

export interface ApiKeyRevoked {
  readonly type: 'ApiKeyRevoked';
  readonly data: ApiKeyRevokedData;
}

export interface RunCompletedData {
  readonly runId: string;
  readonly metrics: Readonly<Record<string, number>>;
  readonly artifactDigest: null | string;
}

export interface RunCompleted {
  readonly type: 'RunCompleted';
  readonly data: RunCompletedData;
}

export interface RunRefusedData {
  readonly runId: string;
  readonly experimentName: string;
  readonly datasetVersionId: string;
  readonly reason: string;
}

export interface RunRefused {
  readonly type: 'RunRefused';
  readonly data: RunRefusedData;
}

export interface RunStartedData {
  readonly runId: string;
  readonly experimentName: string;
  readonly datasetVersionIds: ReadonlyArray<string>;
  readonly params: Readonly<Record<string, string>>;
}

export interface RunStarted {
  readonly type: 'RunStarted';
  readonly data: RunStartedData;
}

export interface Prediction {
  readonly predictionId: string;
  readonly modelName: string;
  readonly modelVersion: number;
  readonly modelDigest: string;
  readonly eventTime: number;
  readonly numericFeatures: Readonly<Record<string, null | number>>;
  readonly categoricalFeatures: Readonly<Record<string, null | string>>;
  readonly predictedClass: null | string;
  readonly score: null | number;
  readonly protectedAttributes: Readonly<Record<string, string>>;
  readonly groundTruth: null | string;
}

export interface DatasetVersionClearedForTrainingData {
  readonly datasetVersionId: string;
  readonly gate: string;
  readonly policyVersion: string;
}

export interface DatasetVersionClearedForTraining {
  readonly type: 'DatasetVersionClearedForTraining';
  readonly data: DatasetVersionClearedForTrainingData;
}

export interface DatasetVersionRegisteredData {
  readonly datasetVersionId: string;
  readonly datasetName: string;
  readonly sourceIds: ReadonlyArray<string>;
  readonly parentVersionIds: ReadonlyArray<string>;
  readonly transformation: null | string;
  readonly rowCount: number;
  readonly columns: ReadonlyArray<ColumnProfile>;
}

export interface ColumnProfile {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly count: number;
  readonly missing: number;
  readonly binEdges: ReadonlyArray<number>;
  readonly binCounts: ReadonlyArray<number>;
  readonly categoryCounts: Readonly<Record<string, number>>;
}

export type ColumnKind = 'numeric' | 'categorical';

export interface DatasetVersionRegistered {
  readonly type: 'DatasetVersionRegistered';
  readonly data: DatasetVersionRegisteredData;
}

export interface OpenLineageRunEventReceivedData {
  readonly runId: string;
  readonly eventType: null | string;
  readonly eventTime: string;
  readonly eventTimeMs: number;
  readonly producer: string;
  readonly schemaURL: string;
  readonly job: OpenLineageJob;
  readonly parentRun: null | OpenLineageParentRun;
  readonly inputs: ReadonlyArray<OpenLineageDataset>;
  readonly outputs: ReadonlyArray<OpenLineageDataset>;
  readonly eventDigest: string;
  readonly event: string;
}

export interface OpenLineageJob {
  readonly namespace: string;
  readonly name: string;
}

export interface OpenLineageParentRun {
  readonly runId: string;
  readonly jobNamespace: string;
  readonly jobName: string;
}

export interface OpenLineageDataset {
  readonly namespace: string;
  readonly name: string;
  readonly datasetVersionId: null | string;
}

export interface OpenLineageRunEventReceived {
  readonly type: 'OpenLineageRunEventReceived';
  readonly data: OpenLineageRunEventReceivedData;
}

export interface SourceLicenseRevokedData {
  readonly sourceId: string;
  readonly reason: string;
  readonly impactedDatasetVersionIds: ReadonlyArray<string>;
  readonly impactedRunIds: ReadonlyArray<string>;
  readonly impactedModelVersions: ReadonlyArray<ImpactedModelVersion>;
  readonly impactedDeploymentIds: ReadonlyArray<string>;
}

export interface ImpactedModelVersion {
  readonly modelName: string;
  readonly version: number;
}

export interface SourceLicenseRevoked {
  readonly type: 'SourceLicenseRevoked';
  readonly data: SourceLicenseRevokedData;
}

export interface SourceRegisteredData {
  readonly sourceId: string;
  readonly name: string;
  readonly kind: string;
  readonly license: string;
  readonly owner: string;
  readonly personalDataColumns: ReadonlyArray<string>;
  readonly licenseExpiresAt: null | number;
}

export interface SourceRegistered {
  readonly type: 'SourceRegistered';
  readonly data: SourceRegisteredData;
}

export interface DataDriftDetectedData {
  readonly alertId: string;
  readonly modelName: string;
  readonly modelVersion: number;
  readonly digest: string;
  readonly severity: Severity;
  readonly feature: string;
  readonly metric: string;
  readonly value: number;
  readonly threshold: number;
  readonly windowIndex: number;
  readonly windowStart: number;
  readonly windowEnd: number;
}

export type Severity = 'warn' | 'breach';

export interface DataDriftDetected {
  readonly type: 'DataDriftDetected';
  readonly data: DataDriftDetectedData;
}

export interface MonitoringWindowEvaluatedData {
  readonly modelName: string;
  readonly modelVersion: number;
  readonly windowIndex: number;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly predictionCount: number;
  readonly featureDrift: ReadonlyArray<FeatureDrift>;
}

export interface FeatureDrift {
  readonly feature: string;
  readonly metric: string;
  readonly value: number;
}

export interface MonitoringWindowEvaluated {
  readonly type: 'MonitoringWindowEvaluated';
  readonly data: MonitoringWindowEvaluatedData;
}

export interface ModelVersionApprovedData {
  readonly modelName: string;
  readonly candidateId: string;
  readonly approvedBy: string;
  readonly justification: string;
}

export interface ModelVersionApproved {
  readonly type: 'ModelVersionApproved';
  readonly data: ModelVersionApprovedData;
}

export interface ModelVersionRegisteredData {
  readonly modelName: string;
  readonly version: number;
  readonly tag: string;
  readonly digest: string;
  readonly candidateId: string;
  readonly runId: string;
  readonly datasetVersionIds: ReadonlyArray<string>;
}

export interface ModelVersionRegistered {
  readonly type: 'ModelVersionRegistered';
  readonly data: ModelVersionRegisteredData;
}

export interface ModelVersionSubmittedData {
  readonly modelName: string;
  readonly candidateId: string;
  readonly runId: string;
  readonly artifactDigest: string;
  readonly datasetVersionIds: ReadonlyArray<string>;
  readonly submittedBy: string;
}

export interface ModelVersionSubmitted {
  readonly type: 'ModelVersionSubmitted';
  readonly data: ModelVersionSubmittedData;
}

export interface ModelQuarantinedData {
  readonly modelName: string;
  readonly modelVersion: number;
  readonly digest: string;
  readonly reason: string;
  readonly alertIds: ReadonlyArray<string>;
  readonly quarantinedAt: number;
}

export interface ModelQuarantined {
  readonly type: 'ModelQuarantined';
  readonly data: ModelQuarantinedData;
}

export interface RetrainingRequestedData {
  readonly retrainingId: string;
  readonly caseId: string;
  readonly modelName: string;
  readonly modelVersion: number;
  readonly datasetVersionId: null | string;
  readonly status: RetrainingStatus;
}

export type RetrainingStatus = 'requested' | 'waiting_for_data';

export interface RetrainingRequested {
  readonly type: 'RetrainingRequested';
  readonly data: RetrainingRequestedData;
}

export interface ReviewCaseOpenedData {
  readonly caseId: string;
  readonly modelName: string;
  readonly modelVersion: number;
  readonly detector: string;
  readonly severity: string;
  readonly alertIds: ReadonlyArray<string>;
}

export interface ReviewCaseOpened {
  readonly type: 'ReviewCaseOpened';
  readonly data: ReviewCaseOpenedData;
}

export type AuditEvent =
  | ApiKeyIssued
  | ApiKeyRevoked;

export type ExperimentEvent =
  | RunCompleted
  | RunRefused
  | RunStarted;

export type LineageEvent =
  | DatasetVersionClearedForTraining
  | DatasetVersionRegistered
  | OpenLineageRunEventReceived
  | SourceLicenseRevoked
  | SourceRegistered;

export type MonitoringEvent =
  | DataDriftDetected
  | MonitoringWindowEvaluated;

export type RegistryEvent =
  | ModelVersionApproved
  | ModelVersionRegistered
  | ModelVersionSubmitted;

export type RetrainingEvent =
  | ModelQuarantined
  | RetrainingRequested
  | ReviewCaseOpened;

export type DomainEvent =
  | AuditEvent
  | ExperimentEvent
  | LineageEvent
  | MonitoringEvent
  | RegistryEvent
  | RetrainingEvent;

export type EventType = DomainEvent['type'];

export type EventContext = 'audit' | 'experiment' | 'lineage' | 'monitoring' | 'registry' | 'retraining';

export const EVENT_CONTEXT: Readonly<Record<EventType, EventContext>> = {
  ApiKeyIssued: 'audit',
  ApiKeyRevoked: 'audit',
  RunCompleted: 'experiment',
  RunRefused: 'experiment',
  RunStarted: 'experiment',
  DatasetVersionClearedForTraining: 'lineage',
  DatasetVersionRegistered: 'lineage',
  OpenLineageRunEventReceived: 'lineage',
  SourceLicenseRevoked: 'lineage',
  SourceRegistered: 'lineage',
  DataDriftDetected: 'monitoring',
  MonitoringWindowEvaluated: 'monitoring',
  ModelVersionApproved: 'registry',
  ModelVersionRegistered: 'registry',
  ModelVersionSubmitted: 'registry',
  ModelQuarantined: 'retraining',
  RetrainingRequested: 'retraining',
  ReviewCaseOpened: 'retraining',
};

