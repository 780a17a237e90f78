import { DEFAULT_LIMIT, parseAccessLogFilter, parseEventFilter, parseExportQuery, parseModelVersionRef, parsePassportFormat } from './audit-query';

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

  it('resolve the subject aliases into link subjects, all of which must match', () => {
    expect(parseEventFilter({ model: 'churn', modelVersion: 'churn:3', datasetVersion: 'd1', source: 'crm', subject: 'run:r1' }).subjects).toEqual([
      'dataset-version:d1', 'model-version:churn:3', 'model:churn', 'run:r1', 'source:crm',
    ]);
    expect(parseEventFilter({ modelVersion: 'team:churn:12' }).subjects).toEqual(['model-version:team:churn:12']);
    expect(() => parseEventFilter({ modelVersion: 'churn:0' })).toThrow(/modelVersion must be <name>:<version>/);
  });

  it('read an export query without a page limit, and a passport format', () => {
    expect(parseExportQuery({ format: 'csv', model: 'churn', after: '10' })).toEqual({ format: 'csv', filter: { after: '10', subjects: ['model:churn'] } });
    expect(parseExportQuery({})).toEqual({ format: 'jsonl', filter: { after: '0' } });
    expect(() => parseExportQuery({ limit: '10' })).toThrow(/unknown query parameter\(s\) limit/);
    expect(parsePassportFormat({})).toBe('json');
    expect(parsePassportFormat({ format: 'html' })).toBe('html');
    expect(() => parsePassportFormat({ format: 'pdf' })).toThrow(/format must be one of json, markdown, html/);
  });
});
