import type { DeploymentFailed, DeploymentRequested, DeploymentRolledBack, DeploymentRolledOut } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider, DomainError } from '@mgov/decider';

export const ENVIRONMENTS = ['staging', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** The rendered deployment: which version, pinned how, handed to which deployer. */
export interface DeploymentPlan {
  readonly deploymentId: string;
  readonly version: number;
  readonly tag: string;
  readonly digest: string;
  readonly image: string;
  readonly manifestsSha256: string;
  readonly deployer: string;
}

/** What the registry knows of the version asked for; a candidate is never deployable. */
export type DeploymentTarget =
  | { readonly kind: 'registered'; readonly quarantined: boolean; readonly archived: boolean }
  | { readonly kind: 'candidate'; readonly candidateId: string }
  | { readonly kind: 'unknown' };

export type RequestDeployment = {
  readonly type: 'RequestDeployment';
  readonly modelName: string;
  readonly environment: string;
  readonly plan: DeploymentPlan;
  readonly target: DeploymentTarget;
  readonly reason: string;
  readonly metadata: CommandMetadata;
};
export type RecordRollout = { readonly type: 'RecordRollout'; readonly modelName: string; readonly deploymentId: string; readonly location: string; readonly metadata: CommandMetadata };
export type RecordFailure = { readonly type: 'RecordFailure'; readonly modelName: string; readonly deploymentId: string; readonly error: string; readonly metadata: CommandMetadata };
export type RollBack = {
  readonly type: 'RollBack';
  readonly modelName: string;
  readonly environment: Environment;
  readonly reason: string;
  /** The last approved, non-quarantined version to restore, rendered; null stops serving. */
  readonly restore: DeploymentPlan | null;
  readonly metadata: CommandMetadata;
};

export type DeploymentCommand = RequestDeployment | RecordRollout | RecordFailure | RollBack;
export type DeploymentEvent = DeploymentRequested | DeploymentRolledOut | DeploymentFailed | DeploymentRolledBack;

export type DeploymentStatus = 'requested' | 'rolled_out' | 'failed' | 'rolled_back' | 'superseded';

export interface DeploymentRecord {
  readonly deploymentId: string;
  readonly version: number;
  readonly environment: Environment;
  readonly status: DeploymentStatus;
}

export interface DeploymentsState {
  readonly deployments: Readonly<Record<string, DeploymentRecord>>;
  /** The deployment serving each environment: one version per model and environment at a time. */
  readonly serving: Readonly<Partial<Record<Environment, string>>>;
}

type Status = ConstructorParameters<typeof DomainError>[2];
const fail = (code: string, message: string, status: Status = 422) => new DomainError(code, message, status);

export function checkedEnvironment(environment: string): Environment {
  if (ENVIRONMENTS.includes(environment as Environment)) return environment as Environment;
  throw fail('REGISTRY.INVALID_ENVIRONMENT', `environment ${JSON.stringify(environment)} is unknown; deploy to ${ENVIRONMENTS.join(' or ')}`, 400);
}

function requested(modelName: string, environment: Environment, plan: DeploymentPlan, reason: string): DeploymentRequested {
  const { deploymentId, version, tag, digest, image, manifestsSha256, deployer } = plan;
  return { type: 'DeploymentRequested', data: { deploymentId, modelName, version, environment, tag, digest, image, manifestsSha256, deployer, reason } };
}

function request(command: RequestDeployment, state: DeploymentsState): DeploymentEvent[] {
  const { modelName, plan, target } = command;
  const environment = checkedEnvironment(command.environment);
  if (target.kind === 'candidate') {
    throw fail('REGISTRY.CANDIDATE_NOT_DEPLOYABLE', `${target.candidateId} is a candidate under review, not a registered version of ${modelName}; only approved versions are deployed`, 409);
  }
  if (target.kind === 'unknown') throw fail('REGISTRY.VERSION_NOT_FOUND', `${modelName}:${plan.version} is not in the registry (candidates are not)`, 404);
  if (target.quarantined) throw fail('REGISTRY.VERSION_QUARANTINED', `${modelName}:${plan.version} is quarantined; it cannot be deployed until the quarantine is released`, 409);
  if (target.archived) throw fail('REGISTRY.VERSION_ARCHIVED', `${modelName}:${plan.version} is archived; deploy a current version`, 409);
  if (state.deployments[plan.deploymentId]) throw fail('REGISTRY.DEPLOYMENT_EXISTS', `deployment ${plan.deploymentId} exists already`, 409);
  const pending = Object.values(state.deployments).find((d) => d.environment === environment && d.status === 'requested');
  if (pending) throw fail('REGISTRY.DEPLOYMENT_IN_PROGRESS', `deployment ${pending.deploymentId} of ${modelName}:${pending.version} to ${environment} has not finished`, 409);
  return [requested(modelName, environment, plan, command.reason)];
}

function pendingDeployment(state: DeploymentsState, modelName: string, deploymentId: string): DeploymentRecord {
  const deployment = state.deployments[deploymentId];
  if (!deployment) throw fail('REGISTRY.DEPLOYMENT_NOT_FOUND', `no deployment ${deploymentId} of ${modelName}`, 404);
  if (deployment.status !== 'requested') throw fail('REGISTRY.DEPLOYMENT_NOT_PENDING', `deployment ${deploymentId} is ${deployment.status}, not requested`, 409);
  return deployment;
}

function recordRollout(command: RecordRollout, state: DeploymentsState): DeploymentEvent[] {
  const { modelName, deploymentId, location } = command;
  const { version, environment } = pendingDeployment(state, modelName, deploymentId);
  return [{ type: 'DeploymentRolledOut', data: { deploymentId, modelName, version, environment, location, replacedDeploymentId: state.serving[environment] ?? null } }];
}

function recordFailure(command: RecordFailure, state: DeploymentsState): DeploymentEvent[] {
  const { modelName, deploymentId, error } = command;
  const { version, environment } = pendingDeployment(state, modelName, deploymentId);
  return [{ type: 'DeploymentFailed', data: { deploymentId, modelName, version, environment, error } }];
}

function rollBack(command: RollBack, state: DeploymentsState): DeploymentEvent[] {
  const { modelName, environment, reason, restore } = command;
  const servingId = state.serving[environment];
  const serving = servingId ? state.deployments[servingId] : undefined;
  if (!serving) return [];
  const events: DeploymentEvent[] = [{
    type: 'DeploymentRolledBack',
    data: { deploymentId: serving.deploymentId, modelName, version: serving.version, environment, reason, restoredVersion: restore?.version ?? null },
  }];
  if (restore) events.push(requested(modelName, environment, restore, `rollback: ${reason}`));
  return events;
}

function evolve(state: DeploymentsState, event: DeploymentEvent): DeploymentsState {
  const { deploymentId } = event.data;
  const set = (s: DeploymentsState, id: string, status: DeploymentStatus): DeploymentsState => {
    const record = s.deployments[id];
    return record ? { ...s, deployments: { ...s.deployments, [id]: { ...record, status } } } : s;
  };
  switch (event.type) {
    case 'DeploymentRequested': {
      const { version } = event.data;
      const record: DeploymentRecord = { deploymentId, version, environment: event.data.environment as Environment, status: 'requested' };
      return { ...state, deployments: { ...state.deployments, [deploymentId]: record } };
    }
    case 'DeploymentRolledOut': {
      const environment = event.data.environment as Environment;
      const replaced = event.data.replacedDeploymentId;
      const next = set(replaced ? set(state, replaced, 'superseded') : state, deploymentId, 'rolled_out');
      return { ...next, serving: { ...next.serving, [environment]: deploymentId } };
    }
    case 'DeploymentFailed':
      return set(state, deploymentId, 'failed');
    case 'DeploymentRolledBack': {
      const environment = event.data.environment as Environment;
      const next = set(state, deploymentId, 'rolled_back');
      const serving = { ...next.serving };
      if (serving[environment] === deploymentId) delete serving[environment];
      return { ...next, serving };
    }
    default:
      return assertNever(event);
  }
}

/** A model's deployments (stream `deployments:<model>`): requested → rolled_out | failed → rolled_back. */
export const deploymentDecider: Decider<DeploymentCommand, DeploymentEvent, DeploymentsState> = {
  initialState: () => ({ deployments: {}, serving: {} }),
  decide: (command, state) => {
    switch (command.type) {
      case 'RequestDeployment':
        return request(command, state);
      case 'RecordRollout':
        return recordRollout(command, state);
      case 'RecordFailure':
        return recordFailure(command, state);
      case 'RollBack':
        return rollBack(command, state);
      default:
        return assertNever(command);
    }
  },
  evolve,
};
