import { asFiniteNumber } from '@mgov/stats';
import { assertNever } from '@mgov/decider';
import { cellText } from './cell-text';
import { privacyError } from './privacy-error';

/** Numbers into ranges of `width` (34 → "30-39" for width 10); values of `top` and above become "top+". */
export interface BucketRule {
  readonly kind: 'bucket';
  readonly width: number;
  readonly top?: number;
}

/** ISO dates (text or Date) to their year ("2024") or month ("2024-03"). */
export interface DateRule {
  readonly kind: 'date';
  readonly to: 'year' | 'month';
}

/** The first `keep` characters; with `pad`, the rest replaced by `*` so the length still shows ("021**"). */
export interface TruncateRule {
  readonly kind: 'truncate';
  readonly keep: number;
  readonly pad?: boolean;
}

export type GeneralizationRule = BucketRule | DateRule | TruncateRule;

const ISO_DATE = /^(\d{4})-(\d{2})(?:-\d{2})?(?:[T ].*)?$/;

function isNonNegativeInteger(n: unknown): boolean {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0;
}

/** Why a rule cannot be applied, or null when it is well-formed. */
export function ruleProblem(rule: GeneralizationRule): string | null {
  switch (rule.kind) {
    case 'bucket':
      if (!isNonNegativeInteger(rule.width) || rule.width === 0) return 'bucket width must be a positive integer';
      return rule.top === undefined || Number.isFinite(rule.top) ? null : 'bucket top must be a finite number';
    case 'date':
      return rule.to === 'year' || rule.to === 'month' ? null : 'date rule must generalize to "year" or "month"';
    case 'truncate':
      return isNonNegativeInteger(rule.keep) ? null : 'truncate keep must be a non-negative integer';
    default:
      return `unknown rule kind ${JSON.stringify((rule as { kind?: unknown }).kind)}; use bucket, date or truncate`;
  }
}

function bucket(value: unknown, rule: BucketRule, column: string): string {
  const n = asFiniteNumber(value);
  if (n === null) throw privacyError('PRIVACY.CANNOT_GENERALIZE', `column ${column}: a value is not a number, so it cannot be put in a bucket`);
  if (rule.top !== undefined && n >= rule.top) return `${rule.top}+`;
  const low = Math.floor(n / rule.width) * rule.width;
  return `${low}-${low + rule.width - 1}`;
}

function yearMonth(value: unknown, column: string): [string, string] {
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    return [String(value.getUTCFullYear()).padStart(4, '0'), String(value.getUTCMonth() + 1).padStart(2, '0')];
  }
  const match = typeof value === 'string' ? ISO_DATE.exec(value.trim()) : null;
  const month = match ? Number(match[2]) : 0;
  if (!match || month < 1 || month > 12) {
    throw privacyError('PRIVACY.CANNOT_GENERALIZE', `column ${column}: a value is not an ISO date (YYYY-MM-DD), so it cannot be generalized to a year or month`);
  }
  return [match[1]!, match[2]!];
}

function truncate(text: string, rule: TruncateRule): string {
  const characters = [...text];
  const kept = characters.slice(0, rule.keep).join('');
  return rule.pad ? kept + '*'.repeat(Math.max(0, characters.length - rule.keep)) : kept;
}

/** The value made coarser by `rule`; missing stays missing. `column` only names the column in a refusal. */
export function generalize(value: unknown, rule: GeneralizationRule, column = 'value'): string | null {
  const text = cellText(value);
  if (text === null) return null;
  switch (rule.kind) {
    case 'bucket':
      return bucket(value, rule, column);
    case 'date': {
      const [year, month] = yearMonth(value, column);
      return rule.to === 'year' ? year : `${year}-${month}`;
    }
    case 'truncate':
      return truncate(text, rule);
    default:
      return assertNever(rule);
  }
}
