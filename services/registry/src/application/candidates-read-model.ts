import type { Sql } from '@mgov/event-store';
import type { ReadModel } from '@mgov/service-runtime';

export interface GateRow {
  passed: boolean;
  policyVersion: string;
  findings: Array<{ check: string; passed: boolean; detail: string }>;
  evidence: unknown;
  judgedAt: string;
}

export interface CandidateRow {
  candidate_id: string;
  model_name: string;
  run_id: string;
  artifact_digest: string;
  artifact_path: string;
  artifact_size: number;
  submitted_by: string;
  source: string;
  status: 'in-review' | 'rejected' | 'registered';
  policy_version: string;
  signature: string;
  metrics: Record<string, number>;
  dataset_version_ids: string[];
  gates: Record<string, GateRow>;
  approvals: Array<{ by: string; justification: string; at: string }>;
  rejected_by: string | null;
  rejection_reason: string | null;
  version: number | null;
  submitted_at: Date;
}

/** The review queue: every candidate with its gate verdicts, approvals and outcome. Not the registry. */
export function candidatesReadModel(schema: string): ReadModel & { table: string } {
  const table = `${schema}.candidates_v1`;
  return {
    name: 'candidates',
    version: 1,
    table,
    async setup(tx: Sql) {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
        candidate_id text PRIMARY KEY, model_name text NOT NULL, run_id text NOT NULL, artifact_digest text NOT NULL,
        artifact_path text NOT NULL DEFAULT '', artifact_size bigint NOT NULL DEFAULT 0, submitted_by text NOT NULL, source text NOT NULL DEFAULT 'run',
        status text NOT NULL, policy_version text NOT NULL DEFAULT '', signature text NOT NULL DEFAULT '', metrics jsonb NOT NULL DEFAULT '{}',
        dataset_version_ids jsonb NOT NULL DEFAULT '[]', gates jsonb NOT NULL DEFAULT '{}', approvals jsonb NOT NULL DEFAULT '[]',
        rejected_by text, rejection_reason text, version int, submitted_at timestamptz NOT NULL)`);
      await tx.query(`CREATE INDEX IF NOT EXISTS candidates_v1_model ON ${table} (model_name, status)`);
    },
    async reset(tx: Sql) {
      await tx.query(`TRUNCATE ${table}`);
    },
    async handle(tx: Sql, event) {
      const at = new Date(event.envelope.occurredAt).toISOString();
      switch (event.type) {
        case 'ModelVersionSubmitted': {
          const d = event.data;
          await tx.query(`INSERT INTO ${table} (candidate_id, model_name, run_id, artifact_digest, submitted_by, status, dataset_version_ids, submitted_at)
            VALUES ($1,$2,$3,$4,$5,'in-review',$6,$7) ON CONFLICT DO NOTHING`, [d.candidateId, d.modelName, d.runId, d.artifactDigest, d.submittedBy, JSON.stringify(d.datasetVersionIds), at]);
          return;
        }
        case 'CandidateReviewStarted': {
          const d = event.data;
          await tx.query(`UPDATE ${table} SET artifact_path = $2, artifact_size = $3, source = $4, policy_version = $5, signature = $6, metrics = $7 WHERE candidate_id = $1`, [
            d.candidateId, d.artifactPath, d.artifactSize, d.source, d.policyVersion, d.signature, JSON.stringify(d.metrics),
          ]);
          return;
        }
        case 'ReviewGateJudged': {
          const d = event.data;
          const gate: GateRow = { passed: d.passed, policyVersion: d.policyVersion, findings: d.findings.map((f) => ({ ...f })), evidence: JSON.parse(d.evidence) as unknown, judgedAt: at };
          await tx.query(`UPDATE ${table} SET gates = gates || jsonb_build_object($2::text, $3::jsonb) WHERE candidate_id = $1`, [d.candidateId, d.gate, JSON.stringify(gate)]);
          return;
        }
        case 'ModelVersionApproved': {
          const d = event.data;
          const approval = { by: d.approvedBy, justification: d.justification, at };
          // Idempotent on replay: an approval by the same reviewer is recorded once.
          await tx.query(`UPDATE ${table} SET approvals = approvals || $2::jsonb WHERE candidate_id = $1 AND NOT approvals @> $3::jsonb`, [
            d.candidateId, JSON.stringify([approval]), JSON.stringify([{ by: d.approvedBy }]),
          ]);
          return;
        }
        case 'ModelVersionRejected':
          await tx.query(`UPDATE ${table} SET status = 'rejected', rejected_by = $2, rejection_reason = $3 WHERE candidate_id = $1`, [event.data.candidateId, event.data.rejectedBy, event.data.reason]);
          return;
        case 'ModelVersionRegistered':
          await tx.query(`UPDATE ${table} SET status = 'registered', version = $2 WHERE candidate_id = $1`, [event.data.candidateId, event.data.version]);
          return;
        default:
      }
    },
  };
}
