import type { PrivacyFinding } from '@mgov/contracts';
import type { KAnonymityResult, ResidueFinding } from '@mgov/privacy';

export interface PrivacyVerdict {
  readonly cleared: boolean;
  /** The smallest equivalence class, when measured. */
  readonly k: number | null;
  readonly findings: PrivacyFinding[];
}

function classText(values: Readonly<Record<string, string | null>>, size: number): string {
  const described = Object.entries(values).map(([column, value]) => `${column}=${value ?? '(missing)'}`).join(', ');
  return `${described} (${size} row${size === 1 ? '' : 's'})`;
}

/** What k-anonymity adds to the findings: nothing when every class reaches the policy k. */
function kAnonymityFindings(result: KAnonymityResult | null): PrivacyFinding[] {
  if (result === null) return [];
  if (result.status === 'too-many-classes') {
    return [{ column: '', detector: 'k-anonymity', count: result.rows, sample: `more than ${result.maxClasses} distinct quasi-identifier combinations; generalize them further` }];
  }
  const column = Object.keys(result.worstClasses[0]?.values ?? {}).join(',');
  const absent = result.absentColumns.map((name) => ({ column: name, detector: 'k-anonymity', count: result.rows, sample: 'declared quasi-identifier not in the data' }));
  if (result.classesBelowPolicyK === 0) return absent;
  const worst = result.worstClasses[0]!;
  return [...absent, { column, detector: 'k-anonymity', count: result.rowsBelowPolicyK, sample: `k=${result.k} < ${result.policyK}: ${classText(worst.values, worst.size)}` }];
}

/**
 * The privacy gate's judgement of a treated version: cleared only with no personal-data residue in
 * any column and every equivalence class over the quasi-identifiers at least the policy's k.
 * Findings name the column and detector, count the matches and show a redacted sample, never a value.
 */
export function judgePrivacy(residue: readonly ResidueFinding[], kAnonymity: KAnonymityResult | null): PrivacyVerdict {
  const findings: PrivacyFinding[] = [...residue.map(({ column, detector, count, sample }) => ({ column, detector, count, sample })), ...kAnonymityFindings(kAnonymity)];
  const k = kAnonymity?.status === 'measured' ? kAnonymity.k : null;
  return { cleared: findings.length === 0, k, findings };
}
