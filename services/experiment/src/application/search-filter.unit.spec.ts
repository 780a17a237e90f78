import { parseFilter, parseOrderBy } from './search-filter';

describe("MLflow's search filter", () => {
  it('reads comparisons on metrics, params, tags and attributes joined by AND', () => {
    expect(parseFilter("metrics.acc >= 0.9 and params.lr = '0.1' AND tags.`team name` LIKE 'risk%' and attributes.status != 'FAILED'")).toEqual([
      { kind: 'metric', key: 'acc', comparator: '>=', value: 0.9 },
      { kind: 'param', key: 'lr', comparator: '=', value: '0.1' },
      { kind: 'tag', key: 'team name', comparator: 'LIKE', value: 'risk%' },
      { kind: 'attribute', key: 'status', comparator: '!=', value: 'FAILED' },
    ]);
    expect(parseFilter('metrics."fairness.sex.disparate_impact" < 1e-1 and run_name = "x"')).toEqual([
      { kind: 'metric', key: 'fairness.sex.disparate_impact', comparator: '<', value: 0.1 },
      { kind: 'attribute', key: 'run_name', comparator: '=', value: 'x' },
    ]);
    expect(parseFilter('')).toEqual([]);
    expect(parseFilter('metrics.loss < -2')).toEqual([{ kind: 'metric', key: 'loss', comparator: '<', value: -2 }]);
  });

  it('refuses what MLflow refuses, with INVALID_PARAMETER_VALUE', () => {
    for (const filter of ["metrics.acc = 'high'", 'params.lr > 1', 'foo.bar = 1', 'metrics.acc > 1 or metrics.acc < 0', "tags.x = 'unterminated", 'metrics.acc', 'attributes.color = "red"']) {
      expect(() => parseFilter(filter)).toThrow(expect.objectContaining({ code: 'EXPERIMENT.INVALID_PARAMETER_VALUE' }));
    }
  });

  it('reads order_by clauses', () => {
    expect(parseOrderBy(['metrics.acc DESC', 'attributes.start_time', 'params.`lr` asc'])).toEqual([
      { kind: 'metric', key: 'acc', ascending: false }, { kind: 'attribute', key: 'start_time', ascending: true }, { kind: 'param', key: 'lr', ascending: true },
    ]);
    expect(() => parseOrderBy(['metrics.acc sideways'])).toThrow(expect.objectContaining({ code: 'EXPERIMENT.INVALID_PARAMETER_VALUE' }));
  });
});
