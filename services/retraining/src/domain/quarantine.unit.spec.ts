import type { ModelQuarantined, ModelQuarantineReleased } from '@mgov/contracts';
import { deciderSpec } from '@mgov/testing';
import { type QuarantineCommand, quarantineDecider, quarantineStreamId, retrainingIdFor } from './quarantine';

const at = 1_790_000_000_000;
const meta = (id: string, role: string) => ({ actor: { id, role }, now: at, correlationId: 'c' });
const quarantine = (alertId: string): QuarantineCommand => ({
  type: 'Quarantine', modelName: 'loans', modelVersion: 3, digest: 'sha256:3', reason: `data-drift breach (alert ${alertId})`, alertIds: [alertId], metadata: meta('retraining', 'service'),
});
const quarantined = (alertId: string): ModelQuarantined => ({
  type: 'ModelQuarantined', data: { modelName: 'loans', modelVersion: 3, digest: 'sha256:3', reason: `data-drift breach (alert ${alertId})`, alertIds: [alertId], quarantinedAt: at },
});
const release = (id: string, role = 'model-reviewer', submittedBy: string | null = 'sam', justification: unknown = 'false alarm: upstream feed fixed'): QuarantineCommand => ({
  type: 'Release', caseId: 'loans:3:data-drift#1', justification, submittedBy, metadata: meta(id, role),
});
const released: ModelQuarantineReleased = {
  type: 'ModelQuarantineReleased',
  data: { modelName: 'loans', modelVersion: 3, digest: 'sha256:3', caseId: 'loans:3:data-drift#1', releasedBy: 'rita', justification: 'false alarm: upstream feed fixed', releasedAt: at },
};
const spec = deciderSpec(quarantineDecider);

describe('quarantine of a model version', () => {
  it('is one stream per model version, and each quarantine names one retraining', () => {
    expect(quarantineStreamId('loans', 3)).toBe('quarantine:loans:3');
    expect(retrainingIdFor('loans', 3, 2)).toBe('loans:3:2');
  });

  it('quarantines on the first breach and not again while quarantined (any detector)', () => {
    spec.given([]).when(quarantine('a1')).then([quarantined('a1')]);
    spec.given([quarantined('a1')]).when(quarantine('a2')).then([]);
  });

  it('is released by a reviewer who did not submit the model, and can be quarantined again', () => {
    spec.given([quarantined('a1')]).when(release('rita')).then([released]);
    spec.given([quarantined('a1'), released]).when(quarantine('a9')).then([quarantined('a9')]);
  });

  it('refuses a release by the submitter, without the reviewer role, of an unquarantined version, with the submitter unknown or without a reason', () => {
    spec.given([quarantined('a1')]).when(release('sam')).thenThrows('RETRAINING.SUBMITTER_CANNOT_RELEASE');
    spec.given([quarantined('a1')]).when(release('eve', 'ml-engineer')).thenThrows('RETRAINING.RELEASE_FORBIDDEN');
    spec.given([]).when(release('rita')).thenThrows('RETRAINING.NOT_QUARANTINED');
    spec.given([quarantined('a1'), released]).when(release('rita')).thenThrows('RETRAINING.NOT_QUARANTINED');
    spec.given([quarantined('a1')]).when(release('rita', 'model-reviewer', null)).thenThrows('RETRAINING.SUBMITTER_UNKNOWN');
    spec.given([quarantined('a1')]).when(release('rita', 'model-reviewer', 'sam', ' ')).thenThrows('RETRAINING.JUSTIFICATION_REQUIRED');
  });
});
