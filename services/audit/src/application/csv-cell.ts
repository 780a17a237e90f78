// Spreadsheets run a cell that starts with one of these as a formula (CSV injection, OWASP).
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A value as a CSV cell that a spreadsheet shows as text: a string that would start a formula gets a
 * leading apostrophe (which spreadsheets hide), so an actor named `=HYPERLINK(…)` stays a name.
 * Numbers are left alone: a negative number is no formula.
 */
export function csvCell(value: unknown): unknown {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}
