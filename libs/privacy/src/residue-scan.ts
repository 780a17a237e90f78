import { cellText } from './cell-text';
import { DEFAULT_DETECTORS, type DetectorName, type PiiDetector } from './detectors';

/** Personal data of one kind left in one column. */
export interface ResidueFinding {
  readonly column: string;
  readonly detector: DetectorName;
  /** Matches found (a cell may hold several). */
  readonly count: number;
  /** The first match, redacted. */
  readonly sample: string;
}

/** What every detector finds in every cell of one row, one finding per column and detector. */
export function scanRow(row: Readonly<Record<string, unknown>>, detectors: readonly PiiDetector[] = DEFAULT_DETECTORS): ResidueFinding[] {
  const findings: ResidueFinding[] = [];
  for (const [column, value] of Object.entries(row)) {
    const text = cellText(value);
    if (text === null) continue;
    for (const detector of detectors) {
      const matches = detector.find(text);
      if (matches.length > 0) findings.push({ column, detector: detector.name, count: matches.length, sample: detector.redact(matches[0]!) });
    }
  }
  return findings;
}

export interface ResidueScanner {
  add(row: Readonly<Record<string, unknown>>): void;
  readonly rowsScanned: number;
  /** Totals per column and detector, ordered by column then detector; the sample is the first seen. */
  findings(): ResidueFinding[];
}

/** An accumulator for a streamed dataset: memory grows with columns × detectors, never with rows. */
export function residueScanner(detectors: readonly PiiDetector[] = DEFAULT_DETECTORS): ResidueScanner {
  const totals = new Map<string, { column: string; detector: DetectorName; count: number; sample: string }>();
  let rowsScanned = 0;
  return {
    add(row) {
      rowsScanned += 1;
      for (const finding of scanRow(row, detectors)) {
        const key = JSON.stringify([finding.column, finding.detector]);
        const total = totals.get(key);
        if (total) total.count += finding.count;
        else totals.set(key, { ...finding });
      }
    },
    get rowsScanned() {
      return rowsScanned;
    },
    findings() {
      const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
      return [...totals.values()].map((total) => ({ ...total })).sort((a, b) => byName(a.column, b.column) || byName(a.detector, b.detector));
    },
  };
}
