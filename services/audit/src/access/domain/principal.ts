import type { PrincipalReinstated, PrincipalSuspended } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider, DomainError } from '@mgov/decider';
import { KEY_ADMIN_ROLES } from './api-key';

export type PrincipalCommand =
  | { readonly type: 'SuspendPrincipal'; readonly subject: string; readonly reason: string; readonly metadata: CommandMetadata }
  | { readonly type: 'ReinstatePrincipal'; readonly subject: string; readonly reason: string; readonly metadata: CommandMetadata };
export type PrincipalEvent = PrincipalSuspended | PrincipalReinstated;
export type PrincipalState = { readonly status: 'active' } | { readonly status: 'suspended'; readonly reason: string };

const SUBJECT = /^[^\s]{1,256}$/;
export const principalStreamId = (subject: string) => `principal:${subject}`;

function checked(command: PrincipalCommand): { subject: string; reason: string } {
  if (!KEY_ADMIN_ROLES.includes(command.metadata.actor.role)) {
    throw new DomainError('ACCESS.FORBIDDEN_ROLE', `role ${command.metadata.actor.role} may not suspend or reinstate principals; ask an admin`, 403);
  }
  if (typeof command.subject !== 'string' || !SUBJECT.test(command.subject)) {
    throw new DomainError('ACCESS.INVALID_SUBJECT', 'the principal is an API key\'s name or a token\'s subject: 1–256 characters without spaces', 400);
  }
  const reason = typeof command.reason === 'string' ? command.reason.trim() : '';
  if (!reason) throw new DomainError('ACCESS.REASON_REQUIRED', 'say why: {"reason": "…"}', 400);
  if (command.subject === command.metadata.actor.id && command.type === 'SuspendPrincipal') {
    throw new DomainError('ACCESS.SELF_SUSPENSION', 'an admin cannot suspend themselves (someone must still be able to reinstate)', 409);
  }
  return { subject: command.subject, reason };
}

/**
 * A principal's standing, on its own stream: suspending it stops every credential it holds — API keys
 * named after it and identity-provider tokens (JWTs) with it as subject, which cannot be revoked
 * one by one — until an admin reinstates it. Asking for the state it is already in changes nothing.
 */
export const principalDecider: Decider<PrincipalCommand, PrincipalEvent, PrincipalState> = {
  initialState: () => ({ status: 'active' }),
  decide: (command, state) => {
    const { subject, reason } = checked(command);
    switch (command.type) {
      case 'SuspendPrincipal':
        return state.status === 'suspended' ? [] : [{ type: 'PrincipalSuspended', data: { subject, reason } }];
      case 'ReinstatePrincipal':
        return state.status === 'active' ? [] : [{ type: 'PrincipalReinstated', data: { subject, reason } }];
      default:
        return assertNever(command);
    }
  },
  evolve: (_state, event) => {
    switch (event.type) {
      case 'PrincipalSuspended':
        return { status: 'suspended', reason: event.data.reason };
      case 'PrincipalReinstated':
        return { status: 'active' };
      default:
        return assertNever(event);
    }
  },
};
