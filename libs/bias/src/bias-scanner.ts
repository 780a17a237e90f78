/**
 * The scanner recorded with each scan (the policy's "approved tool"). Bump the version whenever a
 * metric's definition or a null convention changes, so old and new results are never compared blindly.
 */
export const BIAS_SCANNER = { name: 'mgov-bias', version: '1.0.0' } as const;
