import { profileColumns } from './profile-columns';
import { StreamingProfile } from './streaming-profile';

/** The profile of rows fed one value at a time, as the dataset readers do. */
function streamed(rows: readonly Record<string, unknown>[], maxCategories?: number) {
  const profile = new StreamingProfile({ maxCategories });
  for (const row of rows) {
    for (const [name, value] of Object.entries(row)) {
      const c = profile.column(name);
      if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || Number.isNaN(value)) continue;
      const n = typeof value === 'number' ? value : /^-?\d+(\.\d+)?$/.test(String(value).trim()) ? Number(String(value).trim()) : null;
      if (n !== null) profile.number(c, n);
      else if (typeof value === 'string') profile.text(c, value);
      else profile.value(c, typeof value === 'boolean' ? 'boolean' : 'json');
      if (profile.wantsCategory(c)) profile.category(c, typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value));
    }
    profile.endRow();
  }
  return profile;
}

describe('StreamingProfile', () => {
  const rows = Array.from({ length: 500 }, (_, i) => ({
    income: i % 7 === 0 ? null : (i * 37) % 101 + 0.5,
    age: String(20 + (i % 50)),
    region: ['north', 'south', 'east'][i % 3],
    mixed: i % 10 === 0 ? 'n/a' : String(i % 4),
    ...(i > 100 ? { late: i % 2 === 0 } : {}),
  }));

  it('equals profileColumns over the same rows, absent keys counted as missing', () => {
    expect(streamed(rows).profiles()).toEqual(profileColumns(rows));
  });

  it('infers each column type and summarizes numeric columns', () => {
    const summaries = streamed(rows).summaries();
    expect(summaries.map((s) => [s.name, s.type])).toEqual([['income', 'number'], ['age', 'integer'], ['region', 'string'], ['mixed', 'string'], ['late', 'boolean']]);
    const age = summaries[1]!;
    expect(age).toMatchObject({ missing: 0, distinct: null, min: 20, max: 69, mean: 44.5 });
    expect(age.quantiles.p50).toBeCloseTo(44.5);
    expect(summaries[2]).toMatchObject({ distinct: 3, min: null, quantiles: {} });
  });

  it('stops counting the categories of a column with more distinct values than the limit', () => {
    const ids = Array.from({ length: 50 }, (_, i) => ({ id: `customer-${i}`, tier: i % 2 ? 'gold' : 'basic' }));
    const profile = streamed(ids, 10);
    expect(profile.wantsCategory(0)).toBe(false);
    expect(profile.profiles()[0]).toMatchObject({ kind: 'categorical', count: 50, categoryCounts: {} });
    expect(profile.summaries()[0]).toMatchObject({ type: 'string', distinct: null });
    expect(profile.profiles()[1]!.categoryCounts).toEqual({ basic: 25, gold: 25 });
  });
});
