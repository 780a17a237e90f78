import type { MonitoringPolicyChanged } from '@mgov/contracts';
import { deciderSpec } from '@mgov/testing';
import { applyPolicyChange, type ChangeMonitoringPolicy, DEFAULT_POLICY, monitoringPolicyDecider, type PolicyChange } from './monitoring-policy';

const metadata = { actor: { id: 'eve', role: 'ml-engineer' }, now: 1_790_000_000_000, correlationId: 'c' };
const change = (policy: PolicyChange): ChangeMonitoringPolicy => ({ type: 'ChangeMonitoringPolicy', modelName: 'loans', change: policy, metadata });
const changed = (version: number, policy: PolicyChange, previous = DEFAULT_POLICY): MonitoringPolicyChanged => ({
  type: 'MonitoringPolicyChanged',
  data: { modelName: 'loans', policyVersion: version, policy: JSON.stringify(applyPolicyChange(previous, policy, version)), change: JSON.stringify(policy), changedBy: 'eve' },
});

const spec = deciderSpec(monitoringPolicyDecider);
const hourly: PolicyChange = { window: { unit: 'ms', size: 3_600_000, slide: 600_000 } };

describe('monitoring policy decider', () => {
  it('a first change becomes version 1, with the whole policy and the change as requested', () => {
    spec.given([]).when(change(hourly)).then([changed(1, hourly)]);
  });

  it('a later change applies to the policy in force and is the next version', () => {
    const first = changed(1, hourly);
    const stricter: PolicyChange = { performance: { band: { warn: 0.02, breach: 0.05 } } };
    spec.given([first]).when(change(stricter)).then([changed(2, stricter, JSON.parse(first.data.policy))]);
  });

  it('a change that changes nothing is no event (no new version)', () => {
    spec.given([changed(1, hourly)]).when(change(hourly)).then([]);
  });

  it('an invalid policy is refused with MONITORING.INVALID_POLICY naming the field, and nothing is recorded', () => {
    spec.given([]).when(change({ window: { unit: 'events', size: 100, slide: 30 } })).thenThrows('MONITORING.INVALID_POLICY');
    spec.given([]).when(change({ bias: { disparateImpact: { warn: 0.5, breach: 0.9 } } })).thenThrows('MONITORING.INVALID_POLICY');
  });

  it('the state is the policy in force', () => {
    const state = [changed(1, hourly)].reduce(monitoringPolicyDecider.evolve, monitoringPolicyDecider.initialState());
    expect(state).toMatchObject({ version: 1, window: { unit: 'ms', size: 3_600_000, slide: 600_000 } });
  });
});
