import type { FlowResult, RetrainingLoopResult } from '@mgov/demo-flow';

/**
 * What the retraining loop must leave, embedded or distributed: the breach's case waited for fresh
 * data, the retraining trained on that data, and its model went to the mandatory review as a
 * candidate submitted by the approver, never approved or registered by itself.
 */
export function expectRetrainedCandidate(flow: FlowResult, loop: RetrainingLoopResult): void {
  expect(flow.reviewCase.retraining_status).toBe('waiting_for_data');
  expect(loop.retraining.dataset_version_id).toBe(loop.freshVersionId);
  expect(JSON.stringify(loop.candidate)).toContain(loop.approver);
  expect(JSON.stringify(loop.candidate)).toContain(loop.retraining.run_id!);
  expect(String(loop.candidate.status)).not.toMatch(/^(approved|registered)$/);
}
