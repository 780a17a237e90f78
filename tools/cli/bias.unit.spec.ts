import { ParquetSchema, ParquetWriter } from '@dsnp/parquetjs';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureFiles, type Outcome, runMgov } from './cli-harness';

// `mgov bias` reads a local file and contacts no server: MGOV_URL points nowhere on purpose.
const { dir, file } = fixtureFiles();
const mgov = (args: readonly string[]) => runMgov(['bias', ...args], { MGOV_URL: 'http://127.0.0.1:9' });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { log, sqrt } = Math;
const TOLERANCE = 1e-9;

/** `actual` has exactly the keys of `expected`, and every number agrees to 1e-9 (null only where null is expected). */
function expectClose(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof expected === 'number') {
    if (typeof actual !== 'number' || !(Math.abs(actual - expected) <= TOLERANCE)) throw new Error(`${path}: expected ${expected}, got ${JSON.stringify(actual)}`);
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') throw new Error(`${path}: expected an object, got ${JSON.stringify(actual)}`);
    expect([path, Object.keys(actual).sort()]).toEqual([path, Object.keys(expected).sort()]);
    for (const [key, value] of Object.entries(expected)) expectClose((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
    return;
  }
  expect([path, actual]).toEqual([path, expected]);
}

/** stdout is one JSON document on one line and nothing else; stderr is empty. */
function onlyJson(outcome: Outcome): unknown {
  expect(outcome.stderr).toBe('');
  expect(outcome.code).toBe(0);
  expect(outcome.stdout.endsWith('\n')).toBe(true);
  expect(outcome.stdout.trimEnd().split('\n')).toHaveLength(1);
  const parsed: unknown = JSON.parse(outcome.stdout);
  expect(parsed).toEqual(expect.any(Object));
  expect(Array.isArray(parsed)).toBe(false);
  return parsed;
}

// Seven applicants. Label `approved` (positive: yes) takes three values; `predicted` is the model's answer.
const LOANS_CSV = [
  'sex,region,approved,predicted',
  'f,north,yes,yes',
  'f,north,no,yes',
  'f,south,later,no',
  'm,south,yes,yes',
  'm,east,yes,no',
  'm,east,no,no',
  'm,north,later,yes',
].join('\n');

// By hand, label values in the order later, no, yes (positive: yes); a is every row outside the group.
// sex=f: 3 rows, P = (1/3, 1/3, 1/3), q = 1/3, predicted positive 2 of 3; TP 1 FP 1 FN 0 TN 1.
// sex=m: 4 rows, P = (1/4, 1/4, 1/2), q = 1/2, predicted positive 2 of 4; TP 1 FP 1 FN 1 TN 1.
const JS_SEX = (0.5 * log(6 / 7) + 0.5 * log(6 / 5)) / 2 + ((2 / 3) * log(8 / 7) + (1 / 3) * log(4 / 5)) / 2; // M = (7/24, 7/24, 5/12)
const SEX = {
  groups: {
    f: {
      count: 3, ci: 1 / 7, dpl: 1 / 2 - 1 / 3,
      kl: (1 / 4) * log(3 / 4) * 2 + (1 / 2) * log(3 / 2), js: JS_SEX, lp: sqrt(6) / 12, tvd: 1 / 6, ks: 1 / 6,
      selection_rate: 2 / 3, dppl: 1 / 2 - 2 / 3, di: (2 / 3) / (1 / 2), recall_difference: 1 / 2 - 1, accuracy_difference: 1 / 2 - 2 / 3,
    },
    m: {
      count: 4, ci: -1 / 7, dpl: 1 / 3 - 1 / 2,
      kl: (1 / 3) * log(4 / 3) * 2 + (1 / 3) * log(2 / 3), js: JS_SEX, lp: sqrt(6) / 12, tvd: 1 / 6, ks: 1 / 6,
      selection_rate: 1 / 2, dppl: 2 / 3 - 1 / 2, di: (1 / 2) / (2 / 3), recall_difference: 1 - 1 / 2, accuracy_difference: 2 / 3 - 1 / 2,
    },
  },
  // Selection 2/3 and 1/2; TPR 1 and 1/2; FPR 1/2 and 1/2.
  demographic_parity_difference: 2 / 3 - 1 / 2, demographic_parity_ratio: (1 / 2) / (2 / 3), equalized_odds_difference: 1 / 2,
};
// region=east: rows 5–6, P = (0, 1/2, 1/2); the other five rows P = (2/5, 1/5, 2/5): `later` never occurs in
// the group, so KL(Pa‖Pd) is infinite (null). M = (1/5, 7/20, 9/20). Predicted positive 0 of 2, against 4 of 5;
// recall 0 (row 5 missed) against 1; accuracy 1/2 against 3/5.
const EAST = {
  count: 2, ci: 3 / 7, dpl: 2 / 5 - 1 / 2, kl: null,
  js: (0.4 * log(2) + 0.2 * log(4 / 7) + 0.4 * log(8 / 9)) / 2 + (0.5 * log(10 / 7) + 0.5 * log(10 / 9)) / 2,
  lp: sqrt(0.4 ** 2 + 0.3 ** 2 + 0.1 ** 2), tvd: (0.4 + 0.3 + 0.1) / 2, ks: 0.4,
  selection_rate: 0, dppl: 4 / 5, di: 0, recall_difference: 1, accuracy_difference: 3 / 5 - 1 / 2,
};

describe('mgov bias --format json', () => {
  it('prints one JSON object whose metrics match the definitions to 1e-9 (CSV, with predictions)', async () => {
    const data = file('loans.csv', LOANS_CSV);
    const args = ['--data', data, '--label', 'approved', '--positive', 'yes', '--protected', 'sex,region', '--prediction', 'predicted', '--format', 'json'];
    const report = onlyJson(await mgov(args)) as { facets: Record<string, { groups: Record<string, unknown> }> };
    expect(Object.keys(report)).toEqual(['rows', 'label', 'positive', 'facets']);
    expect(report).toMatchObject({ rows: 7, label: 'approved', positive: 'yes' });
    expect(Object.keys(report.facets)).toEqual(['sex', 'region']);
    expectClose(report.facets.sex, SEX);
    const { groups, ...parity } = report.facets.region!;
    expect(Object.keys(groups)).toEqual(['east', 'north', 'south']);
    expectClose(groups.east, EAST);
    // Selection rates north 1, south 1/2, east 0; TPR 1, 1, 0; FPR 1, 0, 0.
    expectClose(parity, { demographic_parity_difference: 1, demographic_parity_ratio: 0, equalized_odds_difference: 1 });
  });

  it('has no prediction keys without --prediction, and compares JSON values as text (JSON Lines)', async () => {
    // g=a: y = 1, 0, 0; g=b: y = 1. Label values in the order "0", "1"; --positive 1 matches the number 1.
    const data = file('scores.jsonl', '{"g":"a","y":1}\n{"g":"a","y":0}\n\n{"g":"a","y":0}\n{"g":"b","y":1}\n');
    const report = onlyJson(await mgov(['--data', data, '--label', 'y', '--positive', '1', '--protected', 'g', '--format', 'json']));
    const js = log(3 / 2) / 2 + ((2 / 3) * log(2) - (1 / 3) * log(2)) / 2; // M = (1/3, 2/3)
    expectClose(report, {
      rows: 4, label: 'y', positive: '1',
      facets: {
        g: {
          groups: {
            a: { count: 3, ci: -1 / 2, dpl: 1 - 1 / 3, kl: log(3), js, lp: (2 * sqrt(2)) / 3, tvd: 2 / 3, ks: 2 / 3 },
            b: { count: 1, ci: 1 / 2, dpl: 1 / 3 - 1, kl: null, js, lp: (2 * sqrt(2)) / 3, tvd: 2 / 3, ks: 2 / 3 },
          },
        },
      },
    });
  });

  it('reads Parquet by its extension', async () => {
    const data = join(dir, 'people.parquet');
    const writer = await ParquetWriter.openFile(new ParquetSchema({ sex: { type: 'UTF8' }, approved: { type: 'BOOLEAN' } }), data);
    for (const [sex, approved] of [['f', true], ['f', false], ['m', true], ['m', true]] as const) await writer.appendRow({ sex, approved });
    await writer.close();
    const report = onlyJson(await mgov(['--data', data, '--label', 'approved', '--positive', 'true', '--protected', 'sex']));
    // f: P(false, true) = (1/2, 1/2); m: (0, 1).
    expectClose(report, {
      rows: 4, label: 'approved', positive: 'true',
      facets: {
        sex: {
          groups: {
            f: { count: 2, ci: 0, dpl: 1 / 2, kl: log(2), js: (log(4 / 3) + 0.5 * log(2 / 3) + 0.5 * log(2)) / 2, lp: sqrt(0.5), tvd: 1 / 2, ks: 1 / 2 },
            m: { count: 2, ci: 0, dpl: -1 / 2, kl: null, js: (log(4 / 3) + 0.5 * log(2 / 3) + 0.5 * log(2)) / 2, lp: sqrt(0.5), tvd: 1 / 2, ks: 1 / 2 },
          },
        },
      },
    });
  });
});

describe('mgov bias --format table', () => {
  it('prints a table of groups and metrics per protected column, then its parity metrics', async () => {
    const data = file('loans-table.csv', LOANS_CSV);
    const { code, stdout, stderr } = await mgov(['--data', data, '--label', 'approved', '--positive', 'yes', '--protected', 'sex,region', '--prediction', 'predicted', '--format', 'table']);
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).toContain('7 rows; label approved, positive "yes"');
    expect(stdout).toMatch(/protected column sex\n[^\n]*\n│ sex\s+│ count\s+│ ci\s+│ dpl\s+│ kl\s+│ js\s+│ lp\s+│ tvd\s+│ ks\s+│/);
    expect(stdout).toMatch(/│ f\s+│ 3\s+│ 0\.1429\s+│ 0\.1667\s+│/);
    expect(stdout).toMatch(/│ region\s+│ count\s+│ selection_rate\s+│ dppl\s+│ di\s+│ recall_difference\s+│ accuracy_difference\s+│/);
    expect(stdout).toMatch(/│ east\s+│ 2\s+│ 0\.4286\s+│ -0\.1000\s+│ n\/a\s+│/);
    expect(stdout).toContain('demographic_parity_ratio: 0.7500');
    expect(stdout).toContain('n/a: no finite value');
  });
});

describe('mgov bias refusals: exit 2, one line on stderr, nothing on stdout', () => {
  const csv = () => file('people.csv', 'sex,approved\nf,yes\nm,no\n');
  const cases: [string, () => string[], string][] = [
    ['a missing file', () => ['--data', join(dir, 'absent.csv'), '--label', 'approved', '--positive', 'yes', '--protected', 'sex'], 'absent.csv: no such file'],
    ['an unknown protected column (CSV)', () => ['--data', csv(), '--label', 'approved', '--positive', 'yes', '--protected', 'sex,nation'], 'no column nation; the header has sex, approved'],
    ['an unknown prediction column (CSV)', () => ['--data', csv(), '--label', 'approved', '--positive', 'yes', '--protected', 'sex', '--prediction', 'model'], 'no column model'],
    ['an unknown label column (JSON Lines)', () => ['--data', file('rows.jsonl', '{"sex":"f","ok":1}\n'), '--label', 'approved', '--positive', 'yes', '--protected', 'sex'], 'no row has column approved'],
    ['a ragged CSV row', () => ['--data', file('ragged.csv', 'sex,approved\nf,yes\nm,no,extra\n'), '--label', 'approved', '--positive', 'yes', '--protected', 'sex'], 'ragged.csv: line 3: 3 fields where the header has 2'],
    ['an unclosed CSV quote', () => ['--data', file('quote.csv', 'sex,approved\n"f,yes\n'), '--label', 'approved', '--positive', 'yes', '--protected', 'sex'], 'quote.csv: line 2: the file ends inside a quoted field'],
    ['an empty CSV file', () => ['--data', file('empty.csv', ''), '--label', 'approved', '--positive', 'yes', '--protected', 'sex'], 'empty.csv is empty'],
    ['a CSV header without rows', () => ['--data', file('header.csv', 'sex,approved\n'), '--label', 'approved', '--positive', 'yes', '--protected', 'sex'], 'header.csv has a header but no rows'],
    ['an empty JSON Lines file', () => ['--data', file('empty.jsonl', '\n\n'), '--label', 'approved', '--positive', 'yes', '--protected', 'sex'], 'empty.jsonl has no records'],
    ['a malformed JSON line', () => ['--data', file('bad.jsonl', '{"sex":"f","approved":"yes"}\n{"sex": oops}\n'), '--label', 'approved', '--positive', 'yes', '--protected', 'sex'], 'bad.jsonl: line 2: not valid JSON'],
    ['a file that is not UTF-8', () => ['--data', file('latin1.csv', Buffer.from('sex,approved\n\xe9,yes\n', 'latin1')), '--label', 'approved', '--positive', 'yes', '--protected', 'sex'], 'not valid UTF-8'],
    ['an extension it cannot read', () => ['--data', file('people.xlsx', 'x'), '--label', 'approved', '--positive', 'yes', '--protected', 'sex'], 'cannot tell the format of'],
    ['a column named twice', () => ['--data', csv(), '--label', 'approved', '--positive', 'yes', '--protected', 'sex,approved'], 'column approved is named twice'],
    ['an empty protected list', () => ['--data', csv(), '--label', 'approved', '--positive', 'yes', '--protected', ','], 'name at least one column'],
    ['a missing required option', () => ['--data', csv(), '--label', 'approved', '--protected', 'sex'], "required option '--positive <value>' not specified"],
  ];

  it.each(cases)('%s', async (_name, args, reason) => {
    const { code, stdout, stderr } = await mgov(args());
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(/^error: [^\n]*\n$/);
    expect(stderr).toContain(reason);
  });
});
