import { DEFAULT_LIMIT, parseAccessLogFilter, parseEventFilter, parseModelVersionRef } from './audit-query';

describe('audit query parameters', () => {
  it('default the page and normalize positions and instants to UTC', () => {
    expect(parseEventFilter({})).toEqual({ after: '0', limit: DEFAULT_LIMIT });
    expect(parseEventFilter({ after: '007', limit: '1000', from: '2030-01-01T10:00:00+02:00', to: '2030-01-02', service: 'registry' })).toEqual({
      after: '7', limit: 1000, from: '2030-01-01T08:00:00.000Z', to: '2030-01-02T00:00:00.000Z', service: 'registry',
    });
    expect(parseAccessLogFilter({ actor: 'regulator' })).toEqual({ after: '0', limit: DEFAULT_LIMIT, actor: 'regulator' });
    expect(parseModelVersionRef('churn', '12')).toEqual({ name: 'churn', version: 12 });
  });

  it.each([
    [{ limit: '1e3' }, 'limit must be an integer from 1 to 1000'],
    [{ from: '2030-13-01' }, 'from must be an ISO 8601 date'],
    [{ types: 'RunStarted' }, 'unknown query parameter(s) types'],
    [{ correlationId: ['a', 'b'] }, 'correlationId must be given once'],
  ])('refuse %j, saying what to fix', (query, message) => {
    expect(() => parseEventFilter(query)).toThrow(expect.objectContaining({ code: 'AUDIT.INVALID_QUERY', status: 400, message: expect.stringContaining(message) }));
  });
});
