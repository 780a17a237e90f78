import { matchesName, modelArtifact, parseFilter, sourcePath } from './mlflow-registry-views';

const run = (paths: string[]) => ({
  status: 'finished' as const, artifacts: paths.map((path, i) => ({ path, sha256: String(i).repeat(64), size: 1 })), datasetVersionIds: [], dataUnverified: false, unknownInputs: [], metrics: {},
});

describe('MLflow registry views', () => {
  it('reads the run-relative path of a source', () => {
    expect(sourcePath('runs:/abc/model', 'abc')).toBe('model');
    expect(sourcePath('runs:/abc/model/model.pkl', '')).toBe('model/model.pkl');
    expect(sourcePath('mlflow-artifacts:/1/abc/artifacts/model/', 'abc')).toBe('model');
    expect(() => sourcePath('runs:/other/model', 'abc')).toThrow(expect.objectContaining({ code: 'REGISTRY.INVALID_REQUEST' }));
    expect(() => sourcePath('s3://bucket/model.pkl', 'abc')).toThrow(expect.objectContaining({ code: 'REGISTRY.INVALID_REQUEST' }));
  });

  it('picks the one model file a directory source names, or says which to name', () => {
    expect(modelArtifact(run(['model/MLmodel', 'model/model.pkl', 'model/requirements.txt']), 'model').path).toBe('model/model.pkl');
    expect(modelArtifact(run(['model/a.onnx', 'model/b.onnx']), 'model/b.onnx').path).toBe('model/b.onnx');
    expect(() => modelArtifact(run(['model/a.onnx', 'model/b.onnx']), 'model')).toThrow(/several files/);
    expect(() => modelArtifact(run(['report.json']), 'model')).toThrow(/no artifact/);
  });

  it('understands the filters the client sends', () => {
    expect(parseFilter("name = 'credit'")).toEqual({ name: { op: '=', value: 'credit' } });
    expect(parseFilter("name LIKE 'cred%' AND tag.`mlflow.prompt.is_prompt` != 'true'")).toEqual({ name: { op: 'LIKE', value: 'cred%' } });
    expect(parseFilter("run_id = 'r1'")).toEqual({ runId: 'r1' });
    expect(parseFilter("tags.team = 'x'")).toEqual({ none: true });
    expect(() => parseFilter('version_number > 3')).toThrow(expect.objectContaining({ code: 'REGISTRY.INVALID_REQUEST' }));
    expect(matchesName('credit-risk', { op: 'LIKE', value: 'credit%' })).toBe(true);
    expect(matchesName('Credit', { op: 'ILIKE', value: 'cred_t' })).toBe(true);
    expect(matchesName('credit', { op: 'LIKE', value: 'debit%' })).toBe(false);
    expect(matchesName('credit', undefined, true)).toBe(false);
  });
});
