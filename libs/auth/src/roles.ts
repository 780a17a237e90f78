/** The roles MGov knows. `admin` may do everything; `governance-auditor` only reads audit data. */
export const ROLES = [
  'data-steward', 'data-scientist', 'model-reviewer', 'ml-engineer', 'governance-auditor', 'inference-service', 'admin',
] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * The role a principal acts in on a route that requires one of `required`: the first required role
 * it holds, else `admin` (which always passes), else null. The specific role wins over admin so the
 * audit trail says in which capacity someone acted.
 */
export function actingRole(required: readonly Role[], held: readonly Role[]): Role | null {
  const match = required.find((role) => held.includes(role));
  if (match) return match;
  return held.includes('admin') ? 'admin' : null;
}
