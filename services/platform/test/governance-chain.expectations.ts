import type { FlowResult } from '@mgov/demo-flow';

/** The facts the walking skeleton must leave in the audit chain of the model version, in order. */
export const GOVERNANCE_CHAIN = [
  'SourceRegistered', 'DatasetVersionRegistered', 'PrivacyCleared', 'BiasScanPassed', 'DatasetVersionClearedForTraining', 'RunStarted', 'RunCompleted',
  'ModelVersionSubmitted', 'ModelVersionApproved', 'ModelVersionRegistered', 'MonitoringWindowEvaluated', 'DataDriftDetected',
  'ReviewCaseOpened', 'ReviewCaseAlertAdded', 'ModelQuarantined', 'RetrainingRequested',
] as const;

export function expectWholeGovernanceChain(result: FlowResult): void {
  const types = result.chain.events.map((e) => e.type);
  // First occurrence of each fact, in ledger order.
  const firsts = GOVERNANCE_CHAIN.map((t) => types.indexOf(t));
  expect(firsts.every((i) => i >= 0)).toBe(true);
  expect([...firsts].sort((a, b) => a - b)).toEqual(firsts);
  expect(result.chain.verification.ok).toBe(true);
  expect(result.reviewCase).toMatchObject({ status: 'open', quarantine_status: 'quarantined' });
  expect(result.reviewCase.retraining_id).toEqual(expect.any(String));
  const positions = result.chain.events.map((e) => BigInt(e.position));
  expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
}
