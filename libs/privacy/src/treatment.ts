import { type GeneralizationRule, generalize, ruleProblem } from './generalize';
import { privacyError } from './privacy-error';
import { pseudonymizationKey, pseudonymize, type PseudonymizationKey } from './pseudonymize';

/** What the privacy gate does to each column; a column appears in at most one of these. */
export interface TreatmentSpec {
  /** Direct identifiers replaced by their keyed HMAC-SHA256 (hex). */
  readonly pseudonymize?: readonly string[];
  /** Quasi-identifiers made coarser. */
  readonly generalize?: Readonly<Record<string, GeneralizationRule>>;
  /** Columns kept, with every value replaced by null. */
  readonly suppress?: readonly string[];
  /** Columns removed from every row. */
  readonly drop?: readonly string[];
}

export type Row = Readonly<Record<string, unknown>>;

/** Every column the spec names, in the order pseudonymize, generalize, suppress, drop. */
export function treatedColumns(spec: TreatmentSpec): string[] {
  return [...(spec.pseudonymize ?? []), ...Object.keys(spec.generalize ?? {}), ...(spec.suppress ?? []), ...(spec.drop ?? [])];
}

/** Refuses a spec that names a column twice or holds a malformed rule (PRIVACY.INVALID_TREATMENT). */
export function validateTreatment(spec: TreatmentSpec): void {
  const seen = new Set<string>();
  for (const column of treatedColumns(spec)) {
    if (seen.has(column)) throw privacyError('PRIVACY.INVALID_TREATMENT', `column ${column} is named twice in the treatment; give each column one treatment`);
    seen.add(column);
  }
  for (const [column, rule] of Object.entries(spec.generalize ?? {})) {
    const problem = ruleProblem(rule);
    if (problem) throw privacyError('PRIVACY.INVALID_TREATMENT', `column ${column}: ${problem}`);
  }
}

type CellTreatment = (value: unknown) => unknown;

/** The treatment as one function from a row to its treated copy; validates the spec and key once. */
export function compileTreatment(spec: TreatmentSpec, key: PseudonymizationKey): (row: Row) => Record<string, unknown> {
  validateTreatment(spec);
  const treatments = new Map<string, CellTreatment | 'drop'>();
  if ((spec.pseudonymize ?? []).length > 0) {
    const secret = pseudonymizationKey(key);
    const hmac: CellTreatment = (value) => pseudonymize(value, secret);
    for (const column of spec.pseudonymize ?? []) treatments.set(column, hmac);
  }
  for (const [column, rule] of Object.entries(spec.generalize ?? {})) treatments.set(column, (value) => generalize(value, rule, column));
  for (const column of spec.suppress ?? []) treatments.set(column, () => null);
  for (const column of spec.drop ?? []) treatments.set(column, 'drop');
  return (row) => {
    const treated: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(row)) {
      const treatment = treatments.get(column);
      if (treatment === 'drop') continue;
      const result = treatment ? treatment(value) : value;
      // Assigning a JSON Lines key "__proto__" would set the prototype instead of a value.
      if (column === '__proto__') Object.defineProperty(treated, column, { value: result, enumerable: true, writable: true, configurable: true });
      else treated[column] = result;
    }
    return treated;
  };
}

/** One row treated by `spec` (columns keep their order; dropped ones are gone). For many rows, compile once. */
export function applyTreatment(row: Row, spec: TreatmentSpec, key: PseudonymizationKey): Record<string, unknown> {
  return compileTreatment(spec, key)(row);
}
