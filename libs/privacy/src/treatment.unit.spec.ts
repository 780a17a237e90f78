import { pseudonymize } from './pseudonymize';
import { applyTreatment, compileTreatment, treatedColumns, type TreatmentSpec, validateTreatment } from './treatment';

const KEY = '0123456789abcdef0123456789abcdef';

const spec: TreatmentSpec = {
  pseudonymize: ['email'],
  generalize: { age: { kind: 'bucket', width: 10 }, zip: { kind: 'truncate', keep: 3, pad: true }, born: { kind: 'date', to: 'year' } },
  suppress: ['religion'],
  drop: ['name'],
};

describe('applyTreatment', () => {
  it('pseudonymizes, generalizes, suppresses and drops, leaving other columns and their order alone', () => {
    const row = { name: 'Alice', email: 'alice@example.com', age: '34', zip: '02139', born: '1990-04-01', religion: 'x', label: '1' };
    const treated = applyTreatment(row, spec, KEY);
    expect(treated).toEqual({ email: pseudonymize('alice@example.com', KEY), age: '30-39', zip: '021**', born: '1990', religion: null, label: '1' });
    expect(Object.keys(treated)).toEqual(['email', 'age', 'zip', 'born', 'religion', 'label']);
    expect(row.name).toBe('Alice');
  });

  it('keeps missing values missing and ignores columns a row lacks', () => {
    expect(applyTreatment({ email: '', age: null, label: '0' }, spec, KEY)).toEqual({ email: null, age: null, label: '0' });
  });

  it('treats a JSON Lines key "__proto__" as a plain column', () => {
    const row = JSON.parse('{"__proto__": "a@b.co", "x": 1}') as Record<string, unknown>;
    const treated = compileTreatment({ pseudonymize: ['__proto__'] }, KEY)(row);
    expect(Object.keys(treated)).toEqual(['__proto__', 'x']);
    expect(Object.getPrototypeOf(treated)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(treated, '__proto__')?.value).toBe(pseudonymize('a@b.co', KEY));
  });

  it('needs no key when nothing is pseudonymized', () => {
    expect(applyTreatment({ a: 1, b: 2 }, { drop: ['b'] }, '')).toEqual({ a: 1 });
  });

  it('refuses a weak key as soon as the treatment is compiled', () => {
    expect(() => compileTreatment(spec, 'short')).toThrow(expect.objectContaining({ code: 'PRIVACY.WEAK_KEY' }));
  });
});

describe('validateTreatment', () => {
  it('refuses a column named in two treatments', () => {
    expect(() => validateTreatment({ pseudonymize: ['email'], drop: ['email'] })).toThrow(expect.objectContaining({ code: 'PRIVACY.INVALID_TREATMENT', message: expect.stringContaining('email is named twice') }));
    expect(() => validateTreatment({ suppress: ['a', 'a'] })).toThrow(expect.objectContaining({ code: 'PRIVACY.INVALID_TREATMENT' }));
  });

  it('refuses a malformed rule, naming its column', () => {
    expect(() => validateTreatment({ generalize: { age: { kind: 'bucket', width: -1 } } })).toThrow(/^column age: bucket width must be a positive integer/);
  });

  it('lists every treated column, for checking them against the dataset schema', () => {
    expect(treatedColumns(spec)).toEqual(['email', 'age', 'zip', 'born', 'religion', 'name']);
    expect(treatedColumns({})).toEqual([]);
  });
});
