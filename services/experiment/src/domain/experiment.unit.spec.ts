import { deciderSpec } from '@mgov/testing';
import { type CreateExperiment, experimentDecider, experimentIdFor } from './experiment';

const metadata = { actor: { id: 'ada', role: 'data-scientist' }, now: 1, correlationId: 'c' };
const create: CreateExperiment = { type: 'CreateExperiment', experimentId: experimentIdFor('churn'), name: 'churn', artifactLocation: 'mlflow-artifacts:/x', tags: {}, metadata };
const created = { type: 'ExperimentCreated' as const, data: { experimentId: create.experimentId, name: 'churn', artifactLocation: 'mlflow-artifacts:/x', tags: {} } };
const spec = deciderSpec(experimentDecider);

describe('experiment', () => {
  it('has a decimal id derived from its name; Default is 0', () => {
    expect(experimentIdFor('churn')).toMatch(/^[1-9][0-9]*$/);
    expect(experimentIdFor('churn')).toBe(experimentIdFor('churn'));
    expect(experimentIdFor('churn')).not.toBe(experimentIdFor('churn2'));
    expect(experimentIdFor('Default')).toBe('0');
  });

  it('is created once per name', () => {
    spec.given([]).when(create).then([created]);
    spec.given([created]).when(create).thenThrows('EXPERIMENT.EXPERIMENT_EXISTS');
    spec.given([created]).when({ ...create, ifMissing: true }).then([]);
  });

  it('needs a name of at most 500 characters', () => {
    spec.given([]).when({ ...create, name: '' }).thenThrows('EXPERIMENT.INVALID_PARAMETER_VALUE');
    spec.given([]).when({ ...create, name: 'x'.repeat(501) }).thenThrows('EXPERIMENT.INVALID_PARAMETER_VALUE');
  });
});
