import type { PrincipalReinstated, PrincipalSuspended } from '@mgov/contracts';
import { deciderSpec } from '@mgov/testing';
import { type PrincipalCommand, principalDecider } from './principal';

const admin = { actor: { id: 'ada.admin', role: 'admin' }, now: 1_790_000_000_000, correlationId: 'c' };
const suspend: PrincipalCommand = { type: 'SuspendPrincipal', subject: 'sam@example.com', reason: 'laptop stolen', metadata: admin };
const reinstate: PrincipalCommand = { type: 'ReinstatePrincipal', subject: 'sam@example.com', reason: 'new laptop, tokens rotated', metadata: admin };
const suspended: PrincipalSuspended = { type: 'PrincipalSuspended', data: { subject: 'sam@example.com', reason: 'laptop stolen' } };
const reinstated: PrincipalReinstated = { type: 'PrincipalReinstated', data: { subject: 'sam@example.com', reason: 'new laptop, tokens rotated' } };
const spec = deciderSpec(principalDecider);

describe('a principal\'s suspension', () => {
  it('given an active principal, when an admin suspends it with a reason, then it is suspended, once', () => {
    spec.given([]).when(suspend).then([suspended]);
    spec.given([suspended]).when(suspend).then([]);
  });

  it('given a suspended principal, when an admin reinstates it, then it is active again, once', () => {
    spec.given([suspended]).when(reinstate).then([reinstated]);
    spec.given([suspended, reinstated]).when(reinstate).then([]);
    spec.given([]).when(reinstate).then([]);
  });

  it('is refused without a reason, for a malformed subject, to anyone but an admin, and to the admin on themselves', () => {
    spec.given([]).when({ ...suspend, reason: '  ' }).thenThrows('ACCESS.REASON_REQUIRED');
    spec.given([]).when({ ...suspend, subject: 'two words' }).thenThrows('ACCESS.INVALID_SUBJECT');
    spec.given([]).when({ ...suspend, metadata: { ...admin, actor: { id: 'rita', role: 'model-reviewer' } } }).thenThrows('ACCESS.FORBIDDEN_ROLE');
    spec.given([]).when({ ...suspend, subject: 'ada.admin' }).thenThrows('ACCESS.SELF_SUSPENSION');
  });
});
