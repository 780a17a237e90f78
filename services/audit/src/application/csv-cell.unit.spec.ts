import { csvCell } from './csv-cell';

describe('CSV export cells', () => {
  it('given text a spreadsheet would run as a formula, then it is exported as text', () => {
    for (const formula of ['=HYPERLINK("http://evil","x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(csvCell(formula)).toBe(`'${formula}`);
  });

  it('given ordinary values, then they are unchanged', () => {
    for (const plain of ['ada', 'model-version:churn:1', '{"a":1}', '', 'a=b']) expect(csvCell(plain)).toBe(plain);
    expect(csvCell(-5)).toBe(-5);
    expect(csvCell(null)).toBeNull();
  });
});
