import { modelNamePattern, validateModelName } from './model-name';

describe('model name', () => {
  it('accepts lower-case names of up to 64 characters', () => {
    for (const name of ['loans', 'churn-v2', 'a', '0.fraud_gbm', `a${'b'.repeat(63)}`]) {
      expect(modelNamePattern.test(name)).toBe(true);
      expect(() => validateModelName(name)).not.toThrow();
    }
  });

  it('refuses anything that would not make a clean stream id and tag', () => {
    for (const name of ['', 'Loans', '-loans', '.loans', 'loans:1', 'loans/v2', 'lo ans', `a${'b'.repeat(64)}`]) {
      expect(() => validateModelName(name)).toThrow(expect.objectContaining({ code: 'REGISTRY.INVALID_MODEL_NAME', status: 400 }));
    }
  });
});
