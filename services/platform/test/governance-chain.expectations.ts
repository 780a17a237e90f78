import type { FlowResult } from '@mgov/demo-flow';

/** The facts the walking skeleton must leave in the audit chain of the model version, in order. */
export const GOVERNANCE_CHAIN = [
  'SourceRegistered', 'DatasetVersionRegistered', 'PrivacyCleared', 'BiasScanPassed', 'DatasetVersionClearedForTraining', 'RunStarted', 'RunCompleted',
  'ModelVersionSubmitted', 'ModelVersionApproved', 'ModelVersionRegistered', 'MonitoringWindowEvaluated', 'DataDriftDetected',
  'ReviewCaseOpened', 'ReviewCaseAlertAdded', 'ModelQuarantined', 'RetrainingRequested',
] as const;

/**
 * `order: 'ledger'` (one process: the ledger records facts as they happen) or `'occurred'` (distributed:
 * audit consumes each service's topic on its own, so across topics the ledger may record an effect
 * before its cause; the facts' own times still follow the flow).
 */
export function expectWholeGovernanceChain(result: FlowResult, order: 'ledger' | 'occurred' = 'ledger'): void {
  const events = order === 'ledger' ? result.chain.events
    : [...result.chain.events].sort((a, b) => Date.parse(String((a as { occurredAt?: string }).occurredAt)) - Date.parse(String((b as { occurredAt?: string }).occurredAt)));
  const types = events.map((e) => e.type);
  // First occurrence of each fact, in that order.
  const firsts = GOVERNANCE_CHAIN.map((t) => types.indexOf(t));
  expect(firsts.every((i) => i >= 0)).toBe(true);
  expect([...firsts].sort((a, b) => a - b)).toEqual(firsts);
  expect(result.chain.verification.ok).toBe(true);
  expect(result.reviewCase).toMatchObject({ status: 'open', quarantine_status: 'quarantined' });
  expect(result.reviewCase.retraining_id).toEqual(expect.any(String));
  const positions = result.chain.events.map((e) => BigInt(e.position));
  expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
}
