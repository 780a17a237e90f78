import type { ColumnProfile } from '@mgov/contracts';
import type { Block, PassportEvent } from './passport-document';
import { at, by, type DataOf, instant, list, pairs, type SectionSpec, tablesByType, view } from './section-kit';

const RECENT_WINDOWS = 20;

function profileSummary(columns: readonly ColumnProfile[], rows: number): string {
  if (columns.length === 0) return 'no profile';
  const numeric = columns.filter((c) => c.kind === 'numeric').length;
  const missing = columns.reduce((sum, c) => sum + c.missing, 0);
  const cells = columns.reduce((sum, c) => sum + c.count, 0) || rows * columns.length;
  const share = cells > 0 ? ((100 * missing) / cells).toFixed(1) : '0.0';
  return `${columns.length} columns (${numeric} numeric, ${columns.length - numeric} categorical), ${share}% missing`;
}

const RUN_COLUMNS = ['Run', 'Experiment', 'Datasets', 'Params', 'Metrics', 'Artifact', 'Status', 'Started'] as const;
type RunRow = Record<(typeof RUN_COLUMNS)[number], string>;

/** A run's start, completion or refusal as one row: params and metrics side by side. */
function runsTable(events: readonly PassportEvent[]): Block[] {
  const runs = new Map<string, RunRow>();
  const update = (runId: string, cells: Partial<RunRow>) => {
    const row = runs.get(runId) ?? (Object.fromEntries(RUN_COLUMNS.map((c) => [c, c === 'Run' ? runId : '—'])) as RunRow);
    runs.set(runId, { ...row, ...cells });
  };
  for (const e of events) {
    if (e.type === 'RunStarted') {
      const d = e.data as DataOf<'RunStarted'>;
      update(d.runId, { Experiment: d.experimentName, Datasets: list(d.datasetVersionIds), Params: pairs(d.params), Status: 'started', Started: `${e.occurredAt} by ${e.actor.id}` });
    } else if (e.type === 'RunCompleted') {
      const d = e.data as DataOf<'RunCompleted'>;
      update(d.runId, { Metrics: pairs(d.metrics), Artifact: d.artifactDigest ?? '—', Status: 'completed' });
    } else if (e.type === 'RunRefused') {
      const d = e.data as DataOf<'RunRefused'>;
      update(d.runId, { Experiment: d.experimentName, Datasets: d.datasetVersionId, Status: `refused: ${d.reason}`, Started: `${e.occurredAt} by ${e.actor.id}` });
    }
  }
  if (runs.size === 0) return [];
  return [{ kind: 'table', columns: RUN_COLUMNS, rows: [...runs.values()].map((row) => RUN_COLUMNS.map((c) => row[c])) }];
}

/** Windows can number thousands: totals, the worst drift seen, and the most recent ones. */
function monitoringBlocks(events: readonly PassportEvent[], spec: SectionSpec): Block[] {
  const windows = events.filter((e) => e.type === 'MonitoringWindowEvaluated').map((e) => e.data as DataOf<'MonitoringWindowEvaluated'>);
  const blocks: Block[] = [];
  if (windows.length > 0) {
    const worst = (w: (typeof windows)[number]) => w.featureDrift.reduce((max, f) => (f.value > max.value ? f : max), { feature: '—', metric: '', value: -Infinity });
    const overall = windows.map(worst).reduce((max, f) => (f.value > max.value ? f : max));
    blocks.push({ kind: 'facts', facts: [
      ['Windows evaluated', String(windows.length)],
      ['Predictions', String(windows.reduce((sum, w) => sum + w.predictionCount, 0))],
      ['Largest drift', overall.value === -Infinity ? '—' : `${overall.feature} ${overall.metric} = ${overall.value}`],
    ] });
    blocks.push({
      kind: 'table', caption: `Most recent windows (up to ${RECENT_WINDOWS})`, columns: ['Window', 'Start', 'End', 'Predictions', 'Largest drift'],
      rows: windows.slice(-RECENT_WINDOWS).map((w) => {
        const f = worst(w);
        return [String(w.windowIndex), instant(w.windowStart), instant(w.windowEnd), String(w.predictionCount), f.value === -Infinity ? '—' : `${f.feature} ${f.metric} = ${f.value}`];
      }),
    });
  }
  return [...blocks, ...tablesByType(events, spec)];
}

/** The passport's sections in reading order; an event type listed in none goes to "Other events". */
export const PASSPORT_SECTIONS: readonly SectionSpec[] = [
  { id: 'sources', title: 'Sources and licenses', empty: 'No source recorded.', views: [
    view('SourceRegistered', 'Sources', {
      Source: (d) => d.sourceId, Name: (d) => d.name, Kind: (d) => d.kind, License: (d) => d.license, Owner: (d) => d.owner,
      'Personal data columns': (d) => list(d.personalDataColumns),
      'License expires': (d) => (d.licenseExpiresAt === null ? '—' : instant(d.licenseExpiresAt)),
    }),
    view('SourceLicenseRevoked', 'License revocations', {
      Source: (d) => d.sourceId, Reason: (d) => d.reason, 'Impacted dataset versions': (d) => list(d.impactedDatasetVersionIds),
      'Impacted model versions': (d) => list(d.impactedModelVersions.map((m) => `${m.modelName}:${m.version}`)), Revoked: at, By: by,
    }),
  ] },
  { id: 'datasets', title: 'Dataset versions', empty: 'No dataset version recorded.', views: [
    view('DatasetVersionRegistered', 'Dataset versions', {
      Version: (d) => d.datasetVersionId, Dataset: (d) => d.datasetName, Sources: (d) => list(d.sourceIds), 'Derived from': (d) => list(d.parentVersionIds),
      Transformation: (d) => d.transformation ?? '—', Rows: (d) => String(d.rowCount), Profile: (d) => profileSummary(d.columns, d.rowCount), Registered: at,
    }),
  ] },
  { id: 'privacy-bias', title: 'Privacy and bias', empty: 'No privacy or bias result recorded.', claims: /Privacy|Bias|Pseudonymi|Anonymi|KAnonymity|PiiResidue/, views: [
    view('PrivacyCleared', 'Privacy gate: cleared', {
      'Dataset version': (d) => d.datasetVersionId, 'From raw': (d) => d.rawVersionId, Policy: (d) => String(d.policyVersion), Rows: (d) => String(d.rowsScanned),
      'k (policy)': (d) => `${d.k ?? '—'} (${d.policyK})`, 'Quasi-identifiers': (d) => list(d.quasiIdentifiers), 'Key': (d) => d.keyId ?? '—', Cleared: at,
    }),
    view('PrivacyRejected', 'Privacy gate: rejected', {
      'Dataset version': (d) => d.datasetVersionId, Policy: (d) => String(d.policyVersion), 'k (policy)': (d) => `${d.k ?? '—'} (${d.policyK})`,
      Findings: (d) => String(d.findings.length), Rejected: at,
    }),
    ...(['BiasScanPassed', 'BiasScanFlagged'] as const).map((type) => view(type, type === 'BiasScanPassed' ? 'Bias scan: passed' : 'Bias scan: flagged', {
      'Dataset version': (d) => d.datasetVersionId, Scanner: (d) => `${d.scannerName} ${d.scannerVersion}`, Label: (d) => `${d.label}=${d.positive}`,
      Rows: (d) => String(d.rows), Groups: (d) => String(d.groups.length),
      Breaches: (d) => ('breaches' in d ? list(d.breaches.map((b) => `${b.facet}=${b.group} ${b.metric} ${b.value ?? '—'} > ${b.threshold}`)) : '—'), Scanned: at,
    })),
    view('BiasScanWaived', 'Bias scan: waived', {
      'Dataset version': (d) => d.datasetVersionId, Justification: (d) => d.justification, Scanner: (d) => d.scannerVersion, Waived: at, By: by,
    }),
    view('DatasetVersionClearedForTraining', 'Clearances for training', {
      'Dataset version': (d) => d.datasetVersionId, Gate: (d) => d.gate, Policy: (d) => d.policyVersion, Cleared: at, By: by,
    }),
  ], render: (events, spec) => [
    ...tablesByType(events, spec),
    ...(events.some((e) => (e.data as { gate?: string }).gate === 'stub')
      ? [{ kind: 'paragraph' as const, text: 'Cleared by the stub gate: no privacy scan or bias scan result is recorded for these versions yet.' }] : []),
  ] },
  { id: 'runs', title: 'Runs', empty: 'No run recorded.', views: [], extraTypes: ['RunStarted', 'RunCompleted', 'RunRefused'], render: runsTable },
  { id: 'review', title: 'Review', empty: 'No review recorded.', views: [
    view('ModelVersionSubmitted', 'Submission', {
      Candidate: (d) => d.candidateId, Run: (d) => d.runId, Artifact: (d) => d.artifactDigest, 'Submitted by': (d) => d.submittedBy, Submitted: at,
    }),
    view('ModelVersionApproved', 'Approvals', { Candidate: (d) => d.candidateId, 'Approved by': (d) => d.approvedBy, Approved: at, Justification: (d) => d.justification }),
    view('ModelVersionRegistered', 'Registration', {
      Tag: (d) => d.tag, Digest: (d) => d.digest, Candidate: (d) => d.candidateId, Run: (d) => d.runId, Datasets: (d) => list(d.datasetVersionIds), Registered: at,
    }),
  ] },
  { id: 'deployments', title: 'Deployments', empty: 'No deployment recorded.', views: [] },
  { id: 'monitoring', title: 'Monitoring windows and alerts', empty: 'No monitoring window or alert recorded.', views: [
    view('DataDriftDetected', 'Alerts', {
      Alert: (d) => d.alertId, Severity: (d) => d.severity, Feature: (d) => d.feature, Metric: (d) => d.metric, Value: (d) => String(d.value),
      Threshold: (d) => String(d.threshold), Window: (d) => String(d.windowIndex), Detected: at,
    }),
  ], extraTypes: ['MonitoringWindowEvaluated'], render: monitoringBlocks },
  { id: 'cases', title: 'Review cases, quarantine and retraining', empty: 'No review case, quarantine or retraining recorded.', views: [
    view('ReviewCaseOpened', 'Review cases', {
      Case: (d) => d.caseId, Detector: (d) => d.detector, Severity: (d) => d.severity, Alerts: (d) => list(d.alertIds), Opened: at,
    }),
    view('ModelQuarantined', 'Quarantine', { Reason: (d) => d.reason, Alerts: (d) => list(d.alertIds), Digest: (d) => d.digest, Quarantined: (d) => instant(d.quarantinedAt) }),
    view('RetrainingRequested', 'Retraining', {
      Retraining: (d) => d.retrainingId, Case: (d) => d.caseId, 'Dataset version': (d) => d.datasetVersionId ?? '—', Status: (d) => d.status, Requested: at,
    }),
  ] },
];
