import { datasetInputs, double, keyValues, metricPoints, optionalInt, requiredString, runStatus, viewType } from './mlflow-json';
import { mlflowError } from '@mgov/http-edge';

const invalid = expect.objectContaining({ code: 'EXPERIMENT.INVALID_PARAMETER_VALUE' });

describe("reading MLflow's protobuf JSON", () => {
  it('takes int64 as numbers or decimal strings and doubles as numbers or NaN/Infinity strings', () => {
    expect(optionalInt({ t: '1700000000000' }, 't')).toBe(1_700_000_000_000);
    expect(optionalInt({ t: 5 }, 't')).toBe(5);
    expect(() => optionalInt({ t: '5.5' }, 't')).toThrow(invalid);
    expect(() => optionalInt({ t: true }, 't')).toThrow(invalid);
    expect(double('NaN', 'v')).toBeNaN();
    expect(double('Infinity', 'v')).toBe(Infinity);
    expect(double('-Infinity', 'v')).toBe(-Infinity);
    expect(double('0.5', 'v')).toBe(0.5);
    expect(() => double('high', 'v')).toThrow(invalid);
    expect(() => double(null, 'v')).toThrow(invalid);
  });

  it('reads metrics, key-values and dataset inputs, naming the field that is wrong', () => {
    expect(metricPoints({ metrics: [{ key: 'a', value: 'NaN', timestamp: '3', step: '2' }, { key: 'b', value: 1 }] }, 'metrics', 99)).toEqual([
      { key: 'a', value: Number.NaN, timestamp: 3, step: 2 }, { key: 'b', value: 1, timestamp: 99, step: 0 },
    ]);
    expect(() => metricPoints({ metrics: { key: 'a' } }, 'metrics', 0)).toThrow(invalid);
    expect(() => metricPoints({ metrics: [{ key: 'a' }] }, 'metrics', 0)).toThrow(expect.objectContaining({ message: expect.stringContaining('metrics[0].value') }));
    expect(keyValues({ tags: [{ key: 'k', value: 'v' }] }, 'tags')).toEqual([{ key: 'k', value: 'v' }]);
    expect(() => keyValues({ params: [{ key: 'k', value: 6 }] }, 'params')).toThrow(expect.objectContaining({ message: expect.stringContaining('params[0].value') }));
    expect(() => requiredString({}, 'run_id')).toThrow(expect.objectContaining({ message: expect.stringContaining("'run_id'") }));
    expect(requiredString({ run_uuid: 'r' }, 'run_id', 'run_uuid')).toBe('r');
    expect(datasetInputs({ datasets: [{ dataset: { name: 'd', digest: 'x', source_type: 'http', source: '{}' }, tags: [{ key: 'mlflow.data.context', value: 'training' }] }] })).toEqual([
      { dataset: { name: 'd', digest: 'x', sourceType: 'http', source: '{}', schema: '', profile: '' }, tags: { 'mlflow.data.context': 'training' } },
    ]);
  });

  it('reads run statuses and view types by name or number', () => {
    expect(runStatus({ status: 'FINISHED' })).toBe('FINISHED');
    expect(runStatus({ status: 4 })).toBe('FAILED');
    expect(runStatus({})).toBeUndefined();
    expect(() => runStatus({ status: 'EXPLODED' })).toThrow(invalid);
    expect(viewType({ run_view_type: 'ALL' }, 'run_view_type')).toBe('ALL');
    expect(viewType({}, 'run_view_type')).toBe('ACTIVE_ONLY');
  });

  it("maps MGov's codes to MLflow's error codes and statuses", () => {
    expect(mlflowError('EXPERIMENT.RUN_NOT_FOUND', 404)).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', status: 404 });
    expect(mlflowError('EXPERIMENT.EXPERIMENT_EXISTS', 400)).toEqual({ error_code: 'RESOURCE_ALREADY_EXISTS', status: 400 });
    expect(mlflowError('EXPERIMENT.DATASET_NOT_ELIGIBLE', 422)).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', status: 400 });
    expect(mlflowError('AUTH.UNAUTHENTICATED', 401)).toEqual({ error_code: 'UNAUTHENTICATED', status: 401 });
    expect(mlflowError('AUTH.FORBIDDEN', 403)).toEqual({ error_code: 'PERMISSION_DENIED', status: 403 });
    expect(mlflowError('OBJECT_STORE.NOT_FOUND', 404)).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', status: 404 });
  });
});
