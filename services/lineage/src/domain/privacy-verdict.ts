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

/** A column a source declared as personal data that the policy leaves as it is. */
export interface UntreatedPersonalData {
  readonly column: string;
  readonly sourceId: string;
}

/**
 * The privacy gate's judgement of a treated version: cleared only when every column its sources
 * declared personal is treated, no personal-data residue is left in any column and every equivalence
 * class over the quasi-identifiers has at least the policy's k rows. Findings name the column and the
 * detector, count the matches and show a redacted sample, never a value.
 */
export function judgePrivacy(
  residue: readonly ResidueFinding[], kAnonymity: KAnonymityResult | null, untreated: readonly UntreatedPersonalData[] = [], rows = 0,
): PrivacyVerdict {
  const declared = untreated.map(({ column, sourceId }) => ({ column, detector: 'declared-personal-data', count: rows, sample: `declared personal data by source ${sourceId}, left untreated by the policy` }));
  const findings: PrivacyFinding[] = [...declared, ...residue.map(({ column, detector, count, sample }) => ({ column, detector, count, sample })), ...kAnonymityFindings(kAnonymity)];
  const k = kAnonymity?.status === 'measured' ? kAnonymity.k : null;
  return { cleared: findings.length === 0, k, findings };
}
