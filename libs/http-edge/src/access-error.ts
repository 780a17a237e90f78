/** Stable codes of authentication and authorization refusals. */
export const AccessCode = {
  unauthenticated: 'AUTH.UNAUTHENTICATED',
  malformedCredential: 'AUTH.MALFORMED_CREDENTIAL',
  unknownApiKey: 'AUTH.UNKNOWN_API_KEY',
  apiKeyRevoked: 'AUTH.API_KEY_REVOKED',
  apiKeyExpired: 'AUTH.API_KEY_EXPIRED',
  principalSuspended: 'AUTH.PRINCIPAL_SUSPENDED',
  jwtNotAccepted: 'AUTH.JWT_NOT_ACCEPTED',
  tokenExpired: 'AUTH.TOKEN_EXPIRED',
  tokenWrongIssuer: 'AUTH.TOKEN_WRONG_ISSUER',
  tokenWrongAudience: 'AUTH.TOKEN_WRONG_AUDIENCE',
  tokenInvalid: 'AUTH.TOKEN_INVALID',
  jwksUnavailable: 'AUTH.JWKS_UNAVAILABLE',
  forbidden: 'AUTH.FORBIDDEN',
  undeclaredRoute: 'AUTH.UNDECLARED_ROUTE',
  starting: 'HTTP.STARTING',
} as const;
export type AccessCode = (typeof AccessCode)[keyof typeof AccessCode];

/** A refused request: 401 (who are you?), 403 (not allowed) or 503; leaves as `{error: {code, message}}`. */
export class AccessError extends Error {
  constructor(
    readonly code: AccessCode,
    message: string,
    readonly status: 401 | 403 | 503 = 401,
  ) {
    super(message);
    this.name = 'AccessError';
  }
}

export const HOW_TO_AUTHENTICATE =
  'send "Authorization: Bearer <token>" with an MGov API key (mgov_<id>_<secret>; an admin issues one with POST /access/api-keys) ' +
  'or an access token from your identity provider';
