import { generalize, ruleProblem } from './generalize';

describe('generalize', () => {
  describe('bucket', () => {
    const decade = { kind: 'bucket', width: 10 } as const;

    it('puts numbers and numeric text into width-sized ranges, edges in the range they start', () => {
      expect([30, 34, 39, 39.99, '40', 0, 7].map((v) => generalize(v, decade))).toEqual(['30-39', '30-39', '30-39', '30-39', '40-49', '0-9', '0-9']);
      expect(generalize(-3, decade)).toBe('-10--1');
      expect(generalize(12_345, { kind: 'bucket', width: 1000 })).toBe('12000-12999');
    });

    it('top-codes values at or above `top`', () => {
      const ages = { kind: 'bucket', width: 10, top: 90 } as const;
      expect([89, 90, 104].map((v) => generalize(v, ages))).toEqual(['80-89', '90+', '90+']);
    });

    it('refuses text that is not a number, without echoing it', () => {
      expect(() => generalize('forty', decade, 'age')).toThrow(expect.objectContaining({ code: 'PRIVACY.CANNOT_GENERALIZE', status: 422, message: expect.not.stringContaining('forty') }));
      expect(() => generalize('forty', decade, 'age')).toThrow(/^column age: /);
    });
  });

  describe('date', () => {
    it('keeps the year or the year and month of ISO dates and timestamps, without time-zone shifts', () => {
      expect(generalize('2024-03-15', { kind: 'date', to: 'year' })).toBe('2024');
      expect(generalize('2024-03-15', { kind: 'date', to: 'month' })).toBe('2024-03');
      expect(generalize('2024-12-31T23:30:00-05:00', { kind: 'date', to: 'month' })).toBe('2024-12');
      expect(generalize('2024-03', { kind: 'date', to: 'year' })).toBe('2024');
      expect(generalize(new Date(Date.UTC(1999, 0, 31)), { kind: 'date', to: 'month' })).toBe('1999-01');
    });

    it('refuses anything else', () => {
      for (const bad of ['15/03/2024', '2024-13-01', 'yesterday', 20240315]) {
        expect(() => generalize(bad, { kind: 'date', to: 'year' }, 'born')).toThrow(expect.objectContaining({ code: 'PRIVACY.CANNOT_GENERALIZE' }));
      }
    });
  });

  describe('truncate', () => {
    it('keeps the first characters, optionally padding to show the length', () => {
      expect(generalize('02139', { kind: 'truncate', keep: 3 })).toBe('021');
      expect(generalize('02139', { kind: 'truncate', keep: 3, pad: true })).toBe('021**');
      expect(generalize('Zoë', { kind: 'truncate', keep: 5, pad: true })).toBe('Zoë');
      expect(generalize('😀😀x', { kind: 'truncate', keep: 1, pad: true })).toBe('😀**');
      expect(generalize(12345, { kind: 'truncate', keep: 0 })).toBe('');
    });
  });

  it('leaves missing values missing under every rule', () => {
    for (const rule of [{ kind: 'bucket', width: 5 }, { kind: 'date', to: 'year' }, { kind: 'truncate', keep: 1 }] as const) {
      expect(generalize(null, rule)).toBeNull();
      expect(generalize('', rule)).toBeNull();
    }
  });

  it('names what is wrong with a malformed rule', () => {
    expect(ruleProblem({ kind: 'bucket', width: 0 })).toMatch(/positive integer/);
    expect(ruleProblem({ kind: 'bucket', width: 2.5 })).toMatch(/positive integer/);
    expect(ruleProblem({ kind: 'bucket', width: 10, top: Number.POSITIVE_INFINITY })).toMatch(/finite/);
    expect(ruleProblem({ kind: 'date', to: 'day' } as never)).toMatch(/year" or "month/);
    expect(ruleProblem({ kind: 'truncate', keep: -1 })).toMatch(/non-negative/);
    expect(ruleProblem({ kind: 'round' } as never)).toMatch(/unknown rule kind "round"/);
    expect(ruleProblem({ kind: 'bucket', width: 10, top: 90 })).toBeNull();
  });
});
