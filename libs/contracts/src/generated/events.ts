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

export interface PrincipalReinstatedData {
  readonly subject: string;
  readonly reason: string;
}

export interface PrincipalReinstated {
  readonly type: 'PrincipalReinstated';
  readonly data: PrincipalReinstatedData;
}

export interface PrincipalSuspendedData {
  readonly subject: string;
  readonly reason: string;
}

export interface PrincipalSuspended {
  readonly type: 'PrincipalSuspended';
  readonly data: PrincipalSuspendedData;
}

export interface ArtifactLoggedData {
  readonly runId: string;
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

export interface ArtifactLogged {
  readonly type: 'ArtifactLogged';
  readonly data: ArtifactLoggedData;
}

export interface ExperimentCreatedData {
  readonly experimentId: string;
  readonly name: string;
  readonly artifactLocation: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface ExperimentCreated {
  readonly type: 'ExperimentCreated';
  readonly data: ExperimentCreatedData;
}

export interface FairnessMetricsComputedData {
  readonly runId: string;
  readonly library: string;
  readonly rows: number;
  readonly attributes: ReadonlyArray<string>;
  readonly evaluationSetSha256: string;
  readonly metrics: ReadonlyArray<FairnessMetric>;
}

export interface FairnessMetric {
  readonly key: string;
  readonly value: number;
  readonly timestamp: number;
  readonly step: number;
}

export interface FairnessMetricsComputed {
  readonly type: 'FairnessMetricsComputed';
  readonly data: FairnessMetricsComputedData;
}

export interface RunCompletedData {
  readonly runId: string;
  readonly metrics: Readonly<Record<string, number>>;
  readonly artifactDigest: null | string;
  readonly experimentId: string;
  readonly user: string;
  readonly status: string;
  readonly params: Readonly<Record<string, string>>;
  readonly artifacts: ReadonlyArray<RunArtifact>;
  readonly datasetVersionIds: ReadonlyArray<string>;
  readonly unknownInputs: ReadonlyArray<string>;
  readonly dataUnverified: boolean;
}

export interface RunArtifact {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

export interface RunCompleted {
  readonly type: 'RunCompleted';
  readonly data: RunCompletedData;
}

export interface RunDataLoggedData {
  readonly runId: string;
  readonly metrics: ReadonlyArray<LoggedMetricSeries>;
  readonly params: ReadonlyArray<LoggedParam>;
  readonly tags: ReadonlyArray<LoggedTag>;
}

export interface LoggedMetricSeries {
  readonly key: string;
  readonly values: ReadonlyArray<number>;
  readonly timestamps: ReadonlyArray<number>;
  readonly steps: ReadonlyArray<number>;
}

export interface LoggedParam {
  readonly key: string;
  readonly value: string;
}

export interface LoggedTag {
  readonly key: string;
  readonly value: string;
}

export interface RunDataLogged {
  readonly type: 'RunDataLogged';
  readonly data: RunDataLoggedData;
}

export interface RunDeletedData {
  readonly runId: string;
}

export interface RunDeleted {
  readonly type: 'RunDeleted';
  readonly data: RunDeletedData;
}

export interface RunFailedData {
  readonly runId: string;
  readonly experimentId: string;
  readonly endTime: number;
}

export interface RunFailed {
  readonly type: 'RunFailed';
  readonly data: RunFailedData;
}

export interface RunInputsLoggedData {
  readonly runId: string;
  readonly inputs: ReadonlyArray<RunInput>;
}

export interface RunInput {
  readonly name: string;
  readonly digest: string;
  readonly sourceType: string;
  readonly source: string;
  readonly schema: string;
  readonly profile: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly datasetVersionId: null | string;
}

export interface RunInputsLogged {
  readonly type: 'RunInputsLogged';
  readonly data: RunInputsLoggedData;
}

export interface RunKilledData {
  readonly runId: string;
  readonly experimentId: string;
  readonly endTime: number;
}

export interface RunKilled {
  readonly type: 'RunKilled';
  readonly data: RunKilledData;
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
  readonly experimentId: string;
  readonly runName: string;
  readonly startTime: number;
  readonly user: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface RunStarted {
  readonly type: 'RunStarted';
  readonly data: RunStartedData;
}

export interface Outcome {
  readonly predictionId: string;
  readonly groundTruth: string;
  readonly eventTime: number;
  readonly modelName: string;
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

export interface BiasScanFlaggedData {
  readonly datasetVersionId: string;
  readonly policyVersion: number;
  readonly scannerName: string;
  readonly scannerVersion: string;
  readonly label: string;
  readonly positive: string;
  readonly rows: number;
  readonly thresholds: Readonly<Record<string, number>>;
  readonly groups: ReadonlyArray<BiasGroupMetrics>;
  readonly breaches: ReadonlyArray<BiasBreach>;
}

export interface BiasGroupMetrics {
  readonly facet: string;
  readonly group: string;
  readonly count: number;
  readonly ci: null | number;
  readonly dpl: null | number;
  readonly kl: null | number;
  readonly js: null | number;
  readonly lp: null | number;
  readonly tvd: null | number;
  readonly ks: null | number;
}

export interface BiasBreach {
  readonly facet: string;
  readonly group: string;
  readonly metric: string;
  readonly value: null | number;
  readonly threshold: number;
}

export interface BiasScanFlagged {
  readonly type: 'BiasScanFlagged';
  readonly data: BiasScanFlaggedData;
}

export interface BiasScanPassedData {
  readonly datasetVersionId: string;
  readonly policyVersion: number;
  readonly scannerName: string;
  readonly scannerVersion: string;
  readonly label: string;
  readonly positive: string;
  readonly rows: number;
  readonly thresholds: Readonly<Record<string, number>>;
  readonly groups: ReadonlyArray<BiasGroupMetrics>;
}

export interface BiasScanPassed {
  readonly type: 'BiasScanPassed';
  readonly data: BiasScanPassedData;
}

export interface BiasScanWaivedData {
  readonly datasetVersionId: string;
  readonly justification: string;
  readonly policyVersion: number;
  readonly scannerVersion: string;
}

export interface BiasScanWaived {
  readonly type: 'BiasScanWaived';
  readonly data: BiasScanWaivedData;
}

export interface DatasetBiasPolicySetData {
  readonly datasetName: string;
  readonly policyVersion: number;
  readonly protectedAttributes: ReadonlyArray<string>;
  readonly label: string;
  readonly positive: string;
  readonly thresholds: Readonly<Record<string, number>>;
}

export interface DatasetBiasPolicySet {
  readonly type: 'DatasetBiasPolicySet';
  readonly data: DatasetBiasPolicySetData;
}

export interface DatasetPrivacyPolicySetData {
  readonly datasetName: string;
  readonly policyVersion: number;
  readonly quasiIdentifiers: ReadonlyArray<string>;
  readonly pseudonymize: ReadonlyArray<string>;
  readonly generalize: ReadonlyArray<GeneralizationRule>;
  readonly suppress: ReadonlyArray<string>;
  readonly drop: ReadonlyArray<string>;
  readonly k: number;
}

export interface GeneralizationRule {
  readonly column: string;
  readonly kind: string;
  readonly width: null | number;
  readonly top: null | number;
  readonly to: null | string;
  readonly keep: null | number;
  readonly pad: null | boolean;
}

export interface DatasetPrivacyPolicySet {
  readonly type: 'DatasetPrivacyPolicySet';
  readonly data: DatasetPrivacyPolicySetData;
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

export interface DatasetVersionStoredData {
  readonly datasetVersionId: string;
  readonly format: string;
  readonly byteSize: number;
  readonly objectKey: string;
  readonly columns: ReadonlyArray<StoredColumn>;
}

export interface StoredColumn {
  readonly name: string;
  readonly type: string;
  readonly missing: number;
  readonly distinct: null | number;
  readonly min: null | number;
  readonly max: null | number;
  readonly mean: null | number;
  readonly quantiles: Readonly<Record<string, number>>;
}

export interface DatasetVersionStored {
  readonly type: 'DatasetVersionStored';
  readonly data: DatasetVersionStoredData;
}

export interface DatasetVersionTamperingDetectedData {
  readonly datasetVersionId: string;
  readonly actualSha256: string;
  readonly detectedDuring: string;
}

export interface DatasetVersionTamperingDetected {
  readonly type: 'DatasetVersionTamperingDetected';
  readonly data: DatasetVersionTamperingDetectedData;
}

export interface DatasetVersionTrainingEligibilityRevokedData {
  readonly datasetVersionId: string;
  readonly reason: string;
  readonly sourceIds: ReadonlyArray<string>;
}

export interface DatasetVersionTrainingEligibilityRevoked {
  readonly type: 'DatasetVersionTrainingEligibilityRevoked';
  readonly data: DatasetVersionTrainingEligibilityRevokedData;
}

export interface OpenLineageDatasetEventReceivedData {
  readonly eventTime: string;
  readonly eventTimeMs: number;
  readonly producer: string;
  readonly schemaURL: string;
  readonly dataset: OpenLineageDataset;
  readonly facetNames: ReadonlyArray<string>;
  readonly eventDigest: string;
  readonly event: string;
}

export interface OpenLineageDataset {
  readonly namespace: string;
  readonly name: string;
  readonly datasetVersionId: null | string;
}

export interface OpenLineageDatasetEventReceived {
  readonly type: 'OpenLineageDatasetEventReceived';
  readonly data: OpenLineageDatasetEventReceivedData;
}

export interface OpenLineageJobEventReceivedData {
  readonly eventTime: string;
  readonly eventTimeMs: number;
  readonly producer: string;
  readonly schemaURL: string;
  readonly job: OpenLineageJob;
  readonly inputs: ReadonlyArray<OpenLineageDataset>;
  readonly outputs: ReadonlyArray<OpenLineageDataset>;
  readonly eventDigest: string;
  readonly event: string;
}

export interface OpenLineageJob {
  readonly namespace: string;
  readonly name: string;
}

export interface OpenLineageJobEventReceived {
  readonly type: 'OpenLineageJobEventReceived';
  readonly data: OpenLineageJobEventReceivedData;
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

export interface OpenLineageParentRun {
  readonly runId: string;
  readonly jobNamespace: string;
  readonly jobName: string;
}

export interface OpenLineageRunEventReceived {
  readonly type: 'OpenLineageRunEventReceived';
  readonly data: OpenLineageRunEventReceivedData;
}

export interface PrivacyClearedData {
  readonly datasetVersionId: string;
  readonly rawVersionId: string;
  readonly datasetName: string;
  readonly policyVersion: number;
  readonly keyId: null | string;
  readonly rowsScanned: number;
  readonly quasiIdentifiers: ReadonlyArray<string>;
  readonly k: null | number;
  readonly policyK: number;
}

export interface PrivacyCleared {
  readonly type: 'PrivacyCleared';
  readonly data: PrivacyClearedData;
}

export interface PrivacyRejectedData {
  readonly datasetVersionId: string;
  readonly rawVersionId: string;
  readonly datasetName: string;
  readonly policyVersion: number;
  readonly keyId: null | string;
  readonly rowsScanned: number;
  readonly quasiIdentifiers: ReadonlyArray<string>;
  readonly k: null | number;
  readonly policyK: number;
  readonly findings: ReadonlyArray<PrivacyFinding>;
}

export interface PrivacyFinding {
  readonly column: string;
  readonly detector: string;
  readonly count: number;
  readonly sample: string;
}

export interface PrivacyRejected {
  readonly type: 'PrivacyRejected';
  readonly data: PrivacyRejectedData;
}

export interface PseudonymizationKeyActivatedData {
  readonly keyId: string;
  readonly previousKeyId: null | string;
  readonly keySource: string;
}

export interface PseudonymizationKeyActivated {
  readonly type: 'PseudonymizationKeyActivated';
  readonly data: PseudonymizationKeyActivatedData;
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

export interface BiasDriftDetectedData {
  readonly alertId: string;
  readonly modelName: string;
  readonly modelVersion: number;
  readonly digest: string;
  readonly severity: Severity;
  readonly attribute: string;
  readonly metric: string;
  readonly value: number;
  readonly baseline: null | number;
  readonly threshold: number;
  readonly selectionRates: Readonly<Record<string, number>>;
  readonly windowIndex: number;
  readonly windowStart: number;
  readonly windowEnd: number;
}

export type Severity = 'warn' | 'breach';

export interface BiasDriftDetected {
  readonly type: 'BiasDriftDetected';
  readonly data: BiasDriftDetectedData;
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

export interface DataDriftDetected {
  readonly type: 'DataDriftDetected';
  readonly data: DataDriftDetectedData;
}

export interface MonitoringPolicyChangedData {
  readonly modelName: string;
  readonly policyVersion: number;
  readonly policy: string;
  readonly change: string;
  readonly changedBy: string;
}

export interface MonitoringPolicyChanged {
  readonly type: 'MonitoringPolicyChanged';
  readonly data: MonitoringPolicyChangedData;
}

export interface MonitoringWindowEvaluatedData {
  readonly modelName: string;
  readonly modelVersion: number;
  readonly windowIndex: number;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly predictionCount: number;
  readonly featureDrift: ReadonlyArray<FeatureDrift>;
  readonly windowKind: string;
  readonly windowUnit: string;
  readonly windowSize: number;
  readonly policyVersion: number;
  readonly driftShare: number;
  readonly labelledCount: number;
  readonly performance: ReadonlyArray<PerformanceValue>;
  readonly bias: ReadonlyArray<BiasValue>;
}

export interface FeatureDrift {
  readonly feature: string;
  readonly metric: string;
  readonly value: number;
}

export interface PerformanceValue {
  readonly metric: string;
  readonly value: number;
  readonly baseline: null | number;
}

export interface BiasValue {
  readonly attribute: string;
  readonly metric: string;
  readonly value: number;
  readonly baseline: null | number;
}

export interface MonitoringWindowEvaluated {
  readonly type: 'MonitoringWindowEvaluated';
  readonly data: MonitoringWindowEvaluatedData;
}

export interface PerformanceDecayDetectedData {
  readonly alertId: string;
  readonly modelName: string;
  readonly modelVersion: number;
  readonly digest: string;
  readonly severity: Severity;
  readonly metric: string;
  readonly value: number;
  readonly baseline: number;
  readonly relativeDrop: number;
  readonly threshold: number;
  readonly labelledCount: number;
  readonly windowIndex: number;
  readonly windowStart: number;
  readonly windowEnd: number;
}

export interface PerformanceDecayDetected {
  readonly type: 'PerformanceDecayDetected';
  readonly data: PerformanceDecayDetectedData;
}

export interface CandidateReviewStartedData {
  readonly modelName: string;
  readonly candidateId: string;
  readonly signature: string;
  readonly metrics: Readonly<Record<string, number>>;
  readonly policyVersion: string;
  readonly artifactPath: string;
  readonly artifactSize: number;
  readonly source: string;
}

export interface CandidateReviewStarted {
  readonly type: 'CandidateReviewStarted';
  readonly data: CandidateReviewStartedData;
}

export interface DeploymentFailedData {
  readonly deploymentId: string;
  readonly modelName: string;
  readonly version: number;
  readonly environment: string;
  readonly error: string;
}

export interface DeploymentFailed {
  readonly type: 'DeploymentFailed';
  readonly data: DeploymentFailedData;
}

export interface DeploymentRequestedData {
  readonly deploymentId: string;
  readonly modelName: string;
  readonly version: number;
  readonly environment: string;
  readonly tag: string;
  readonly digest: string;
  readonly image: string;
  readonly manifestsSha256: string;
  readonly deployer: string;
  readonly reason: string;
}

export interface DeploymentRequested {
  readonly type: 'DeploymentRequested';
  readonly data: DeploymentRequestedData;
}

export interface DeploymentRolledBackData {
  readonly deploymentId: string;
  readonly modelName: string;
  readonly version: number;
  readonly environment: string;
  readonly reason: string;
  readonly restoredVersion: null | number;
}

export interface DeploymentRolledBack {
  readonly type: 'DeploymentRolledBack';
  readonly data: DeploymentRolledBackData;
}

export interface DeploymentRolledOutData {
  readonly deploymentId: string;
  readonly modelName: string;
  readonly version: number;
  readonly environment: string;
  readonly location: string;
  readonly replacedDeploymentId: null | string;
}

export interface DeploymentRolledOut {
  readonly type: 'DeploymentRolledOut';
  readonly data: DeploymentRolledOutData;
}

export interface ModelAliasDeletedData {
  readonly modelName: string;
  readonly alias: string;
  readonly deletedBy: string;
}

export interface ModelAliasDeleted {
  readonly type: 'ModelAliasDeleted';
  readonly data: ModelAliasDeletedData;
}

export interface ModelAliasSetData {
  readonly modelName: string;
  readonly alias: string;
  readonly version: number;
  readonly setBy: string;
}

export interface ModelAliasSet {
  readonly type: 'ModelAliasSet';
  readonly data: ModelAliasSetData;
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

export interface ModelVersionArchivedData {
  readonly modelName: string;
  readonly version: number;
  readonly tag: string;
  readonly digest: string;
  readonly archivedBy: string;
  readonly reason: string;
}

export interface ModelVersionArchived {
  readonly type: 'ModelVersionArchived';
  readonly data: ModelVersionArchivedData;
}

export interface ModelVersionRegisteredData {
  readonly modelName: string;
  readonly version: number;
  readonly tag: string;
  readonly digest: string;
  readonly candidateId: string;
  readonly runId: string;
  readonly datasetVersionIds: ReadonlyArray<string>;
  readonly submittedBy: string;
  readonly approvedBy: ReadonlyArray<string>;
  readonly metrics: Readonly<Record<string, number>>;
  readonly policyVersion: string;
}

export interface ModelVersionRegistered {
  readonly type: 'ModelVersionRegistered';
  readonly data: ModelVersionRegisteredData;
}

export interface ModelVersionRejectedData {
  readonly modelName: string;
  readonly candidateId: string;
  readonly rejectedBy: string;
  readonly reason: string;
  readonly policyVersion: string;
}

export interface ModelVersionRejected {
  readonly type: 'ModelVersionRejected';
  readonly data: ModelVersionRejectedData;
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

export interface RegisteredModelCreatedData {
  readonly modelName: string;
  readonly description: string;
  readonly createdBy: string;
}

export interface RegisteredModelCreated {
  readonly type: 'RegisteredModelCreated';
  readonly data: RegisteredModelCreatedData;
}

export interface RegistryRequestRefusedData {
  readonly action: string;
  readonly code: string;
  readonly message: string;
  readonly modelName: string;
  readonly candidateId: string;
  readonly version: null | number;
  readonly details: string;
}

export interface RegistryRequestRefused {
  readonly type: 'RegistryRequestRefused';
  readonly data: RegistryRequestRefusedData;
}

export interface ReviewGateJudgedData {
  readonly modelName: string;
  readonly candidateId: string;
  readonly gate: string;
  readonly passed: boolean;
  readonly policyVersion: string;
  readonly findings: ReadonlyArray<GateFinding>;
  readonly evidence: string;
}

export interface GateFinding {
  readonly check: string;
  readonly passed: boolean;
  readonly detail: string;
}

export interface ReviewGateJudged {
  readonly type: 'ReviewGateJudged';
  readonly data: ReviewGateJudgedData;
}

export interface ReviewPolicyPublishedData {
  readonly scope: string;
  readonly policyVersion: number;
  readonly policyId: string;
  readonly document: string;
  readonly sha256: string;
  readonly publishedBy: string;
}

export interface ReviewPolicyPublished {
  readonly type: 'ReviewPolicyPublished';
  readonly data: ReviewPolicyPublishedData;
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

export interface ModelQuarantineReleasedData {
  readonly modelName: string;
  readonly modelVersion: number;
  readonly digest: string;
  readonly caseId: string;
  readonly releasedBy: string;
  readonly justification: string;
  readonly releasedAt: number;
}

export interface ModelQuarantineReleased {
  readonly type: 'ModelQuarantineReleased';
  readonly data: ModelQuarantineReleasedData;
}

export interface RetrainingApprovedData {
  readonly retrainingId: string;
  readonly caseId: string;
  readonly approvedBy: string;
  readonly justification: string;
}

export interface RetrainingApproved {
  readonly type: 'RetrainingApproved';
  readonly data: RetrainingApprovedData;
}

export interface RetrainingAttemptFailedData {
  readonly retrainingId: string;
  readonly caseId: string;
  readonly attempt: number;
  readonly reason: string;
  readonly logTail: string;
  readonly willRetry: boolean;
}

export interface RetrainingAttemptFailed {
  readonly type: 'RetrainingAttemptFailed';
  readonly data: RetrainingAttemptFailedData;
}

export interface RetrainingCancelledData {
  readonly retrainingId: string;
  readonly caseId: string;
  readonly cancelledBy: string;
  readonly justification: string;
}

export interface RetrainingCancelled {
  readonly type: 'RetrainingCancelled';
  readonly data: RetrainingCancelledData;
}

export interface RetrainingDataSelectedData {
  readonly retrainingId: string;
  readonly caseId: string;
  readonly datasetVersionId: string;
}

export interface RetrainingDataSelected {
  readonly type: 'RetrainingDataSelected';
  readonly data: RetrainingDataSelectedData;
}

export interface RetrainingFailedData {
  readonly retrainingId: string;
  readonly caseId: string;
  readonly attempts: number;
  readonly reason: string;
  readonly logTail: string;
}

export interface RetrainingFailed {
  readonly type: 'RetrainingFailed';
  readonly data: RetrainingFailedData;
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

export interface RetrainingStartedData {
  readonly retrainingId: string;
  readonly caseId: string;
  readonly attempt: number;
  readonly runner: string;
  readonly datasetVersionId: string;
}

export interface RetrainingStarted {
  readonly type: 'RetrainingStarted';
  readonly data: RetrainingStartedData;
}

export interface RetrainingSucceededData {
  readonly retrainingId: string;
  readonly caseId: string;
  readonly modelName: string;
  readonly previousVersion: number;
  readonly runId: string;
  readonly artifactDigest: string;
  readonly datasetVersionId: string;
  readonly approvedBy: string;
}

export interface RetrainingSucceeded {
  readonly type: 'RetrainingSucceeded';
  readonly data: RetrainingSucceededData;
}

export interface ReviewCaseAcknowledgedData {
  readonly caseId: string;
  readonly acknowledgedBy: string;
  readonly justification: string;
}

export interface ReviewCaseAcknowledged {
  readonly type: 'ReviewCaseAcknowledged';
  readonly data: ReviewCaseAcknowledgedData;
}

export interface ReviewCaseAlertAddedData {
  readonly caseId: string;
  readonly alertId: string;
  readonly alertType: string;
  readonly detector: string;
  readonly severity: string;
  readonly modelName: string;
  readonly modelVersion: number;
  readonly digest: string;
  readonly summary: string;
  readonly evidence: string;
  readonly windowIndex: number;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly datasetVersionIds: ReadonlyArray<string>;
  readonly deploymentIds: ReadonlyArray<string>;
}

export interface ReviewCaseAlertAdded {
  readonly type: 'ReviewCaseAlertAdded';
  readonly data: ReviewCaseAlertAddedData;
}

export interface ReviewCaseConfirmedData {
  readonly caseId: string;
  readonly confirmedBy: string;
  readonly justification: string;
}

export interface ReviewCaseConfirmed {
  readonly type: 'ReviewCaseConfirmed';
  readonly data: ReviewCaseConfirmedData;
}

export interface ReviewCaseDismissedData {
  readonly caseId: string;
  readonly dismissedBy: string;
  readonly justification: string;
}

export interface ReviewCaseDismissed {
  readonly type: 'ReviewCaseDismissed';
  readonly data: ReviewCaseDismissedData;
}

export interface ReviewCaseEscalatedData {
  readonly caseId: string;
  readonly modelName: string;
  readonly modelVersion: number;
  readonly openedAt: number;
  readonly deadline: number;
  readonly escalatedAt: number;
}

export interface ReviewCaseEscalated {
  readonly type: 'ReviewCaseEscalated';
  readonly data: ReviewCaseEscalatedData;
}

export interface ReviewCaseNotificationDeliveredData {
  readonly caseId: string;
  readonly notificationId: string;
  readonly endpoint: string;
  readonly attempts: number;
  readonly statusCode: number;
}

export interface ReviewCaseNotificationDelivered {
  readonly type: 'ReviewCaseNotificationDelivered';
  readonly data: ReviewCaseNotificationDeliveredData;
}

export interface ReviewCaseNotificationFailedData {
  readonly caseId: string;
  readonly notificationId: string;
  readonly endpoint: string;
  readonly attempts: number;
  readonly lastError: string;
}

export interface ReviewCaseNotificationFailed {
  readonly type: 'ReviewCaseNotificationFailed';
  readonly data: ReviewCaseNotificationFailedData;
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
  | ApiKeyRevoked
  | PrincipalReinstated
  | PrincipalSuspended;

export type ExperimentEvent =
  | ArtifactLogged
  | ExperimentCreated
  | FairnessMetricsComputed
  | RunCompleted
  | RunDataLogged
  | RunDeleted
  | RunFailed
  | RunInputsLogged
  | RunKilled
  | RunRefused
  | RunStarted;

export type LineageEvent =
  | BiasScanFlagged
  | BiasScanPassed
  | BiasScanWaived
  | DatasetBiasPolicySet
  | DatasetPrivacyPolicySet
  | DatasetVersionClearedForTraining
  | DatasetVersionRegistered
  | DatasetVersionStored
  | DatasetVersionTamperingDetected
  | DatasetVersionTrainingEligibilityRevoked
  | OpenLineageDatasetEventReceived
  | OpenLineageJobEventReceived
  | OpenLineageRunEventReceived
  | PrivacyCleared
  | PrivacyRejected
  | PseudonymizationKeyActivated
  | SourceLicenseRevoked
  | SourceRegistered;

export type MonitoringEvent =
  | BiasDriftDetected
  | DataDriftDetected
  | MonitoringPolicyChanged
  | MonitoringWindowEvaluated
  | PerformanceDecayDetected;

export type RegistryEvent =
  | CandidateReviewStarted
  | DeploymentFailed
  | DeploymentRequested
  | DeploymentRolledBack
  | DeploymentRolledOut
  | ModelAliasDeleted
  | ModelAliasSet
  | ModelVersionApproved
  | ModelVersionArchived
  | ModelVersionRegistered
  | ModelVersionRejected
  | ModelVersionSubmitted
  | RegisteredModelCreated
  | RegistryRequestRefused
  | ReviewGateJudged
  | ReviewPolicyPublished;

export type RetrainingEvent =
  | ModelQuarantined
  | ModelQuarantineReleased
  | RetrainingApproved
  | RetrainingAttemptFailed
  | RetrainingCancelled
  | RetrainingDataSelected
  | RetrainingFailed
  | RetrainingRequested
  | RetrainingStarted
  | RetrainingSucceeded
  | ReviewCaseAcknowledged
  | ReviewCaseAlertAdded
  | ReviewCaseConfirmed
  | ReviewCaseDismissed
  | ReviewCaseEscalated
  | ReviewCaseNotificationDelivered
  | ReviewCaseNotificationFailed
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
  PrincipalReinstated: 'audit',
  PrincipalSuspended: 'audit',
  ArtifactLogged: 'experiment',
  ExperimentCreated: 'experiment',
  FairnessMetricsComputed: 'experiment',
  RunCompleted: 'experiment',
  RunDataLogged: 'experiment',
  RunDeleted: 'experiment',
  RunFailed: 'experiment',
  RunInputsLogged: 'experiment',
  RunKilled: 'experiment',
  RunRefused: 'experiment',
  RunStarted: 'experiment',
  BiasScanFlagged: 'lineage',
  BiasScanPassed: 'lineage',
  BiasScanWaived: 'lineage',
  DatasetBiasPolicySet: 'lineage',
  DatasetPrivacyPolicySet: 'lineage',
  DatasetVersionClearedForTraining: 'lineage',
  DatasetVersionRegistered: 'lineage',
  DatasetVersionStored: 'lineage',
  DatasetVersionTamperingDetected: 'lineage',
  DatasetVersionTrainingEligibilityRevoked: 'lineage',
  OpenLineageDatasetEventReceived: 'lineage',
  OpenLineageJobEventReceived: 'lineage',
  OpenLineageRunEventReceived: 'lineage',
  PrivacyCleared: 'lineage',
  PrivacyRejected: 'lineage',
  PseudonymizationKeyActivated: 'lineage',
  SourceLicenseRevoked: 'lineage',
  SourceRegistered: 'lineage',
  BiasDriftDetected: 'monitoring',
  DataDriftDetected: 'monitoring',
  MonitoringPolicyChanged: 'monitoring',
  MonitoringWindowEvaluated: 'monitoring',
  PerformanceDecayDetected: 'monitoring',
  CandidateReviewStarted: 'registry',
  DeploymentFailed: 'registry',
  DeploymentRequested: 'registry',
  DeploymentRolledBack: 'registry',
  DeploymentRolledOut: 'registry',
  ModelAliasDeleted: 'registry',
  ModelAliasSet: 'registry',
  ModelVersionApproved: 'registry',
  ModelVersionArchived: 'registry',
  ModelVersionRegistered: 'registry',
  ModelVersionRejected: 'registry',
  ModelVersionSubmitted: 'registry',
  RegisteredModelCreated: 'registry',
  RegistryRequestRefused: 'registry',
  ReviewGateJudged: 'registry',
  ReviewPolicyPublished: 'registry',
  ModelQuarantined: 'retraining',
  ModelQuarantineReleased: 'retraining',
  RetrainingApproved: 'retraining',
  RetrainingAttemptFailed: 'retraining',
  RetrainingCancelled: 'retraining',
  RetrainingDataSelected: 'retraining',
  RetrainingFailed: 'retraining',
  RetrainingRequested: 'retraining',
  RetrainingStarted: 'retraining',
  RetrainingSucceeded: 'retraining',
  ReviewCaseAcknowledged: 'retraining',
  ReviewCaseAlertAdded: 'retraining',
  ReviewCaseConfirmed: 'retraining',
  ReviewCaseDismissed: 'retraining',
  ReviewCaseEscalated: 'retraining',
  ReviewCaseNotificationDelivered: 'retraining',
  ReviewCaseNotificationFailed: 'retraining',
  ReviewCaseOpened: 'retraining',
};

