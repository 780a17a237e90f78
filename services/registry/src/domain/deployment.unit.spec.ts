import type { DeploymentEvent } from './deployment';
import { deciderSpec } from '@mgov/testing';
import { type DeploymentPlan, deploymentDecider, type RequestDeployment } from './deployment';
import { at, digestA } from './model.fixture';

const plan = (id: string, version = 1): DeploymentPlan => ({
  deploymentId: id, version, tag: `loans:${version}`, digest: digestA, image: `ghcr.io/mgov/model-server@sha256:${'e'.repeat(64)}`, manifestsSha256: 'f'.repeat(64), deployer: 'gitops-directory',
});
const request = (id: string, version = 1, environment = 'production'): RequestDeployment => ({
  type: 'RequestDeployment', modelName: 'loans', environment, plan: plan(id, version), target: { kind: 'registered', quarantined: false, archived: false }, reason: '', metadata: at('eve', 'ml-engineer'),
});
const requested = (id: string, version = 1, environment = 'production', reason = ''): DeploymentEvent => ({
  type: 'DeploymentRequested', data: { deploymentId: id, modelName: 'loans', version, environment, tag: `loans:${version}`, digest: digestA, image: plan(id).image, manifestsSha256: 'f'.repeat(64), deployer: 'gitops-directory', reason },
});
const rolledOut = (id: string, version = 1, replaced: string | null = null, environment = 'production'): DeploymentEvent => ({
  type: 'DeploymentRolledOut', data: { deploymentId: id, modelName: 'loans', version, environment, location: '/gitops/x', replacedDeploymentId: replaced },
});
const spec = deciderSpec(deploymentDecider);

describe('deployments', () => {
  it('requests a deployment of a registered version', () => {
    spec.given([]).when(request('d1')).then([requested('d1')]);
  });

  it('refuses candidates, unknown, quarantined and archived versions, and unknown environments', () => {
    spec.given([]).when({ ...request('d1'), target: { kind: 'candidate', candidateId: 'c1' } }).thenThrows('REGISTRY.CANDIDATE_NOT_DEPLOYABLE');
    spec.given([]).when({ ...request('d1'), target: { kind: 'unknown' } }).thenThrows('REGISTRY.VERSION_NOT_FOUND');
    spec.given([]).when({ ...request('d1'), target: { kind: 'registered', quarantined: true, archived: false } }).thenThrows('REGISTRY.VERSION_QUARANTINED');
    spec.given([]).when({ ...request('d1'), target: { kind: 'registered', quarantined: false, archived: true } }).thenThrows('REGISTRY.VERSION_ARCHIVED');
    spec.given([]).when(request('d1', 1, 'qa')).thenThrows('REGISTRY.INVALID_ENVIRONMENT');
    spec.given([requested('d1')]).when(request('d2', 2)).thenThrows('REGISTRY.DEPLOYMENT_IN_PROGRESS');
  });

  it('rolls out over the version serving the environment: one production version at a time', () => {
    const rollout = { type: 'RecordRollout' as const, modelName: 'loans', deploymentId: 'd2', location: '/gitops/x', metadata: at('eve', 'ml-engineer') };
    spec.given([requested('d1'), rolledOut('d1'), requested('d2', 2)]).when(rollout).then([rolledOut('d2', 2, 'd1')]);
    spec.given([requested('d1'), rolledOut('d1'), requested('d2', 2, 'staging')]).when(rollout).then([rolledOut('d2', 2, null, 'staging')]);
    spec.given([requested('d1'), rolledOut('d1')]).when({ ...rollout, deploymentId: 'd1' }).thenThrows('REGISTRY.DEPLOYMENT_NOT_PENDING');
    const state = [requested('d1'), rolledOut('d1'), requested('d2', 2), rolledOut('d2', 2, 'd1')].reduce(deploymentDecider.evolve, deploymentDecider.initialState());
    expect(state.serving).toEqual({ production: 'd2' });
    expect(state.deployments.d1?.status).toBe('superseded');
  });

  it('records a failed deployment; it serves nothing', () => {
    const fail = { type: 'RecordFailure' as const, modelName: 'loans', deploymentId: 'd1', error: 'webhook answered 500', metadata: at('eve', 'ml-engineer') };
    spec.given([requested('d1')]).when(fail).then([{ type: 'DeploymentFailed', data: { deploymentId: 'd1', modelName: 'loans', version: 1, environment: 'production', error: 'webhook answered 500' } }]);
    const state = [requested('d1'), { type: 'DeploymentFailed', data: { deploymentId: 'd1', modelName: 'loans', version: 1, environment: 'production', error: 'x' } } as DeploymentEvent]
      .reduce(deploymentDecider.evolve, deploymentDecider.initialState());
    expect(state.serving).toEqual({});
  });

  it('rolls back to a restored version, or stops serving when there is none', () => {
    const rollBack = { type: 'RollBack' as const, modelName: 'loans', environment: 'production' as const, reason: 'quarantined: drift', restore: plan('d3', 1), metadata: at('registry', 'system') };
    const history = [requested('d1'), rolledOut('d1'), requested('d2', 2), rolledOut('d2', 2, 'd1')];
    spec.given(history).when(rollBack).then([
      { type: 'DeploymentRolledBack', data: { deploymentId: 'd2', modelName: 'loans', version: 2, environment: 'production', reason: 'quarantined: drift', restoredVersion: 1 } },
      requested('d3', 1, 'production', 'rollback: quarantined: drift'),
    ]);
    spec.given(history).when({ ...rollBack, restore: null }).then([
      { type: 'DeploymentRolledBack', data: { deploymentId: 'd2', modelName: 'loans', version: 2, environment: 'production', reason: 'quarantined: drift', restoredVersion: null } },
    ]);
    spec.given([]).when(rollBack).then([]);
  });
});
