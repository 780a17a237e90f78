import type {
  ReviewCaseAcknowledged, ReviewCaseAlertAdded, ReviewCaseAlertAddedData, ReviewCaseConfirmed, ReviewCaseDismissed, ReviewCaseEscalated,
  ReviewCaseNotificationDelivered, ReviewCaseNotificationFailed, ReviewCaseOpened,
} from '@mgov/contracts';
import { Subject } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider, DomainError } from '@mgov/decider';
import { requireJustification } from './justification';

/** What raised the alert; each model version has at most one open case per detector. */
export type Detector = 'data-drift' | 'performance-decay' | 'bias-drift';

/** The stream holding the review cases of a model version and detector, one open at a time. */
export const reviewCaseStreamId = (modelName: string, modelVersion: number, detector: Detector) =>
  Subject.reviewCase(`${modelName}:${modelVersion}:${detector}`);

/** The n-th case of a model version and detector (a new one opens after a dismissal). */
export const reviewCaseId = (modelName: string, modelVersion: number, detector: Detector, n: number) => `${modelName}:${modelVersion}:${detector}#${n}`;

/** The part of a case id naming its stream (model version and detector). */
export const caseStreamKey = (caseId: string) => caseId.slice(0, caseId.lastIndexOf('#') === -1 ? caseId.length : caseId.lastIndexOf('#'));

/** The model version and detector a case id names (model names may themselves contain ':'). */
export function parseCaseId(caseId: string): { modelName: string; modelVersion: number; detector: string } | null {
  const match = /^(.+):(\d+):([a-z-]+)#\d+$/.exec(caseId);
  return match ? { modelName: match[1]!, modelVersion: Number(match[2]), detector: match[3]! } : null;
}

export type AlertEvidence = Omit<ReviewCaseAlertAddedData, 'caseId'>;

type Meta = { readonly metadata: CommandMetadata };
export type ReviewCaseCommand =
  | ({ readonly type: 'RaiseAlert'; readonly alert: AlertEvidence & { readonly detector: Detector } } & Meta)
  | ({ readonly type: 'Acknowledge' | 'Dismiss' | 'Confirm'; readonly caseId: string; readonly justification: unknown } & Meta)
  | ({ readonly type: 'Escalate'; readonly caseId: string; readonly openedAt: number; readonly deadline: number } & Meta)
  | ({
      readonly type: 'RecordNotification'; readonly caseId: string; readonly notificationId: string; readonly endpoint: string; readonly attempts: number;
      readonly outcome: { readonly delivered: true; readonly statusCode: number } | { readonly delivered: false; readonly lastError: string };
    } & Meta);

export type ReviewCaseEvent =
  | ReviewCaseOpened | ReviewCaseAlertAdded | ReviewCaseAcknowledged | ReviewCaseDismissed | ReviewCaseConfirmed | ReviewCaseEscalated
  | ReviewCaseNotificationDelivered | ReviewCaseNotificationFailed;

export type CaseStatus = 'open' | 'acknowledged' | 'confirmed' | 'dismissed';

interface CaseFacts {
  readonly caseId: string;
  readonly number: number;
  readonly modelName: string;
  readonly modelVersion: number;
  readonly alertIds: readonly string[];
  readonly escalated: boolean;
  readonly notifications: readonly string[];
}

export type ReviewCaseState = { readonly status: 'none' } | ({ readonly status: CaseStatus } & CaseFacts);

const isClosed = (status: ReviewCaseState['status']) => status === 'dismissed';

function raise(command: Extract<ReviewCaseCommand, { type: 'RaiseAlert' }>, state: ReviewCaseState): ReviewCaseEvent[] {
  const { alert } = command;
  if (state.status !== 'none' && !isClosed(state.status)) {
    if (state.alertIds.includes(alert.alertId)) return [];
    return [{ type: 'ReviewCaseAlertAdded', data: { ...alert, caseId: state.caseId } }];
  }
  const number = state.status === 'none' ? 1 : state.number + 1;
  if (state.status !== 'none' && state.alertIds.includes(alert.alertId)) return [];
  const caseId = reviewCaseId(alert.modelName, alert.modelVersion, alert.detector, number);
  return [
    { type: 'ReviewCaseOpened', data: { caseId, modelName: alert.modelName, modelVersion: alert.modelVersion, detector: alert.detector, severity: alert.severity, alertIds: [alert.alertId] } },
    { type: 'ReviewCaseAlertAdded', data: { ...alert, caseId } },
  ];
}

/** The open case a decision is about: unknown and closed cases are refused, never reopened. */
function openCase(caseId: string, state: ReviewCaseState): { status: CaseStatus } & CaseFacts {
  const earlier = state.status !== 'none' && Array.from({ length: state.number - 1 }, (_, i) => `${caseStreamKey(state.caseId)}#${i + 1}`).includes(caseId);
  if (state.status === 'none' || (state.caseId !== caseId && !earlier)) {
    throw new DomainError('RETRAINING.CASE_NOT_FOUND', `no review case ${caseId}; list them with GET /retraining/cases`, 404);
  }
  // Only a dismissal ends a case, so every earlier case of the stream is closed.
  if (state.caseId !== caseId || isClosed(state.status)) {
    throw new DomainError('RETRAINING.CASE_CLOSED', `review case ${caseId} is closed (dismissed); a new alert opens a new case`, 409);
  }
  return state;
}

function decideOn(command: Extract<ReviewCaseCommand, { type: 'Acknowledge' | 'Dismiss' | 'Confirm' }>, state: ReviewCaseState): ReviewCaseEvent[] {
  const current = openCase(command.caseId, state);
  const justification = requireJustification(command.justification);
  const by = command.metadata.actor.id;
  switch (command.type) {
    case 'Acknowledge':
      if (current.status !== 'open') throw new DomainError('RETRAINING.CASE_ALREADY_ACKNOWLEDGED', `review case ${current.caseId} is already ${current.status}`, 409);
      return [{ type: 'ReviewCaseAcknowledged', data: { caseId: current.caseId, acknowledgedBy: by, justification } }];
    case 'Confirm':
      if (current.status === 'confirmed') throw new DomainError('RETRAINING.CASE_ALREADY_CONFIRMED', `review case ${current.caseId} is already confirmed`, 409);
      return [{ type: 'ReviewCaseConfirmed', data: { caseId: current.caseId, confirmedBy: by, justification } }];
    case 'Dismiss':
      return [{ type: 'ReviewCaseDismissed', data: { caseId: current.caseId, dismissedBy: by, justification } }];
    default:
      return assertNever(command.type);
  }
}

function escalate(command: Extract<ReviewCaseCommand, { type: 'Escalate' }>, state: ReviewCaseState): ReviewCaseEvent[] {
  if (state.status !== 'open' || state.caseId !== command.caseId || state.escalated || command.metadata.now < command.deadline) return [];
  const { caseId, modelName, modelVersion } = state;
  return [{ type: 'ReviewCaseEscalated', data: { caseId, modelName, modelVersion, openedAt: command.openedAt, deadline: command.deadline, escalatedAt: command.metadata.now } }];
}

function recordNotification(command: Extract<ReviewCaseCommand, { type: 'RecordNotification' }>, state: ReviewCaseState): ReviewCaseEvent[] {
  if (state.status === 'none' || state.notifications.includes(command.notificationId)) return [];
  const { caseId, notificationId, endpoint, attempts, outcome } = command;
  return outcome.delivered
    ? [{ type: 'ReviewCaseNotificationDelivered', data: { caseId, notificationId, endpoint, attempts, statusCode: outcome.statusCode } }]
    : [{ type: 'ReviewCaseNotificationFailed', data: { caseId, notificationId, endpoint, attempts, lastError: outcome.lastError } }];
}

function withStatus(state: ReviewCaseState, status: CaseStatus): ReviewCaseState {
  return state.status === 'none' ? state : { ...state, status };
}

/**
 * A case per model version and detector: the first alert opens it, later alerts join it, a
 * dismissal closes it (the next alert opens case #n+1). Decisions name the case they are about.
 */
export const reviewCaseDecider: Decider<ReviewCaseCommand, ReviewCaseEvent, ReviewCaseState> = {
  initialState: () => ({ status: 'none' }),
  decide: (command, state) => {
    switch (command.type) {
      case 'RaiseAlert':
        return raise(command, state);
      case 'Acknowledge':
      case 'Dismiss':
      case 'Confirm':
        return decideOn(command, state);
      case 'Escalate':
        return escalate(command, state);
      case 'RecordNotification':
        return recordNotification(command, state);
      default:
        return assertNever(command);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'ReviewCaseOpened': {
        const number = state.status === 'none' ? 1 : state.number + 1;
        const { caseId, modelName, modelVersion } = event.data;
        return { status: 'open', caseId, number, modelName, modelVersion, alertIds: [], escalated: false, notifications: state.status === 'none' ? [] : state.notifications };
      }
      case 'ReviewCaseAlertAdded':
        return state.status === 'none' ? state : { ...state, alertIds: [...state.alertIds, event.data.alertId] };
      case 'ReviewCaseAcknowledged':
        return withStatus(state, 'acknowledged');
      case 'ReviewCaseConfirmed':
        return withStatus(state, 'confirmed');
      case 'ReviewCaseDismissed':
        return withStatus(state, 'dismissed');
      case 'ReviewCaseEscalated':
        return state.status === 'none' ? state : { ...state, escalated: true };
      case 'ReviewCaseNotificationDelivered':
      case 'ReviewCaseNotificationFailed':
        return state.status === 'none' ? state : { ...state, notifications: [...state.notifications, event.data.notificationId] };
      default:
        return assertNever(event);
    }
  },
};
