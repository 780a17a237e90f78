import { categoryOf, isMissing } from '@mgov/stats';

/**
 * The text a cell is treated, scanned and grouped as, or null when it is missing. Text and numbers
 * share one form, so a CSV "42" and a JSON 42 pseudonymize, match and group alike.
 */
export function cellText(value: unknown): string | null {
  return isMissing(value) ? null : categoryOf(value);
}
