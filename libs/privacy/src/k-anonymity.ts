import { cellText } from './cell-text';
import { privacyError } from './privacy-error';
import { maskTail } from './redact';

export const DEFAULT_POLICY_K = 5;
/** Distinct quasi-identifier combinations tracked before giving up: bounds memory at roughly 100 MB. */
export const DEFAULT_MAX_CLASSES = 1_000_000;

export interface KAnonymityOptions {
  readonly quasiIdentifiers: readonly string[];
  /** The policy's k (default 5): classes smaller than this are violations. */
  readonly policyK?: number;
  readonly maxClasses?: number;
  /** How many of the smallest classes to report (default 5). */
  readonly worstCount?: number;
}

/** An equivalence class: its quasi-identifier values (redacted; null when missing) and its size. */
export interface EquivalenceClass {
  readonly values: Readonly<Record<string, string | null>>;
  readonly size: number;
}

export type KAnonymityResult =
  | {
      readonly status: 'measured';
      readonly rows: number;
      /** The smallest class size: the data is k-anonymous for this k. Null when there are no rows. */
      readonly k: number | null;
      readonly policyK: number;
      readonly classes: number;
      readonly classesBelowPolicyK: number;
      readonly rowsBelowPolicyK: number;
      /** The smallest classes, smallest first. */
      readonly worstClasses: readonly EquivalenceClass[];
      /** Declared quasi-identifiers that no row has: probably a misnamed column. */
      readonly absentColumns: readonly string[];
    }
  | {
      /** More distinct combinations than `maxClasses`: far from k-anonymous for any useful k; generalize further. */
      readonly status: 'too-many-classes';
      readonly rows: number;
      readonly policyK: number;
      readonly maxClasses: number;
    };

export interface KAnonymityCounter {
  add(row: Readonly<Record<string, unknown>>): void;
  result(): KAnonymityResult;
}

function checkedOptions(options: KAnonymityOptions): Required<KAnonymityOptions> {
  const { quasiIdentifiers, policyK = DEFAULT_POLICY_K, maxClasses = DEFAULT_MAX_CLASSES, worstCount = 5 } = options;
  const positive = (n: number) => Number.isInteger(n) && n >= 1;
  if (quasiIdentifiers.length === 0 || new Set(quasiIdentifiers).size !== quasiIdentifiers.length) {
    throw privacyError('PRIVACY.INVALID_K_ANONYMITY_OPTIONS', 'declare at least one quasi-identifier, each once');
  }
  if (!positive(policyK) || !positive(maxClasses) || !Number.isInteger(worstCount) || worstCount < 0) {
    throw privacyError('PRIVACY.INVALID_K_ANONYMITY_OPTIONS', 'policyK and maxClasses must be positive integers and worstCount a non-negative integer');
  }
  return { quasiIdentifiers, policyK, maxClasses, worstCount };
}

/** The `count` entries with the smallest sizes, smallest first, without sorting every class. */
function smallest(counts: Map<string, number>, count: number): [string, number][] {
  const kept: [string, number][] = [];
  for (const entry of counts) {
    if (kept.length === count && entry[1] >= kept[kept.length - 1]![1]) continue;
    const at = kept.findIndex(([, size]) => size > entry[1]);
    kept.splice(at === -1 ? kept.length : at, 0, entry);
    if (kept.length > count) kept.pop();
  }
  return kept;
}

/**
 * Counts rows per equivalence class (combination of quasi-identifier values, compared as text;
 * missing is a value of its own) in one pass, holding one map entry per class.
 */
export function kAnonymityCounter(options: KAnonymityOptions): KAnonymityCounter {
  const { quasiIdentifiers, policyK, maxClasses, worstCount } = checkedOptions(options);
  const counts = new Map<string, number>();
  const present = new Set<string>();
  let rows = 0;
  let overflowed = false;
  return {
    add(row) {
      rows += 1;
      const values = quasiIdentifiers.map((column) => {
        if (!present.has(column) && Object.hasOwn(row, column)) present.add(column);
        return cellText(row[column]);
      });
      const key = JSON.stringify(values);
      const size = counts.get(key);
      if (size !== undefined) counts.set(key, size + 1);
      else if (counts.size < maxClasses) counts.set(key, 1);
      else overflowed = true;
    },
    result() {
      if (overflowed) return { status: 'too-many-classes', rows, policyK, maxClasses };
      let k: number | null = null;
      let classesBelowPolicyK = 0;
      let rowsBelowPolicyK = 0;
      for (const size of counts.values()) {
        k = k === null ? size : Math.min(k, size);
        if (size < policyK) {
          classesBelowPolicyK += 1;
          rowsBelowPolicyK += size;
        }
      }
      const worstClasses = smallest(counts, worstCount).map(([key, size]) => {
        const values = JSON.parse(key) as (string | null)[];
        return { values: Object.fromEntries(quasiIdentifiers.map((column, i) => [column, values[i] === null ? null : maskTail(values[i]!)])), size };
      });
      const absentColumns = rows === 0 ? [] : quasiIdentifiers.filter((column) => !present.has(column));
      return { status: 'measured', rows, k, policyK, classes: counts.size, classesBelowPolicyK, rowsBelowPolicyK, worstClasses, absentColumns };
    },
  };
}
