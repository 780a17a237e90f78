import { DEFAULT_DETECTORS, emailDetector } from './detectors';
import { residueScanner, scanRow } from './residue-scan';

describe('scanRow', () => {
  it('reports each column and detector that found something, with the count and a redacted first match', () => {
    const row = { id: 7, note: 'mail alice@example.com or bob@example.org, card 4111 1111 1111 1111', ip: '203.0.113.7', label: 'yes' };
    expect(scanRow(row)).toEqual([
      { column: 'note', detector: 'email', count: 2, sample: 'a***@e***.com' },
      { column: 'note', detector: 'payment-card', count: 1, sample: '**** **** **** 1111' },
      { column: 'ip', detector: 'ipv4', count: 1, sample: '203.*.*.*' },
    ]);
  });

  it('scans numbers and nested JSON values as text, and skips missing cells', () => {
    expect(scanRow({ card: 4111111111111111, contact: { email: 'zoë@example.de' }, empty: null })).toEqual([
      { column: 'card', detector: 'payment-card', count: 1, sample: '************1111' },
      { column: 'contact', detector: 'email', count: 1, sample: 'z***@e***.de' },
    ]);
  });

  it('uses only the detectors it is given', () => {
    expect(scanRow({ a: 'alice@example.com 4111111111111111' }, [emailDetector]).map((f) => f.detector)).toEqual(['email']);
  });

  it('finds nothing in a row of ordinary business data', () => {
    const row = {
      order: 'ORD-2024-000123',
      ordered_at: '2024-01-15T10:30:00Z',
      epoch_ms: 1705314600000,
      amount: '1,234.56',
      sku: 'AB12CDEF3456789012',
      client_version: '10.0.19041.1',
      library: 'lodash@4.17.21',
      digest: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      request: '123e4567-e89b-12d3-a456-426614174000',
      duration: '10:30:00',
      pseudonym: '841240d2a5b6654b3ae21fc4499db7b7867077cdd67c3e16cef1f9843e27d1fa',
      age: '30-39',
      zip: '021**',
    };
    expect(scanRow(row, DEFAULT_DETECTORS)).toEqual([]);
  });
});

describe('residueScanner', () => {
  it('adds counts up over rows, keeps the first sample and orders findings by column then detector', () => {
    const scanner = residueScanner();
    scanner.add({ b: 'x', a: 'alice@example.com' });
    scanner.add({ b: '+1 415 555 2671', a: 'bob@example.org' });
    scanner.add({ b: 'carol@example.net', a: 'clean' });
    expect(scanner.rowsScanned).toBe(3);
    expect(scanner.findings()).toEqual([
      { column: 'a', detector: 'email', count: 2, sample: 'a***@e***.com' },
      { column: 'b', detector: 'email', count: 1, sample: 'c***@e***.net' },
      { column: 'b', detector: 'phone', count: 1, sample: '+* *** *** **71' },
    ]);
  });

  it('returns copies, so a caller cannot change its totals', () => {
    const scanner = residueScanner();
    scanner.add({ a: 'alice@example.com' });
    (scanner.findings()[0] as { count: number }).count = 99;
    expect(scanner.findings()[0]!.count).toBe(1);
  });

  it('reports nothing for nothing', () => {
    expect(residueScanner().findings()).toEqual([]);
  });
});
