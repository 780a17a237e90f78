import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { isRole, type Role } from '@mgov/auth';
import { AccessCode, AccessError } from './access-error';
import type { JwtSettings } from './jwt-settings';

/** A verified token: who, and which MGov roles it grants (unknown role names are ignored). */
export interface VerifiedToken {
  readonly subject: string;
  readonly roles: readonly Role[];
}

export interface JwtVerifier {
  verify(token: string): Promise<VerifiedToken>;
}

const ASYMMETRIC: Record<string, string[]> = {
  rsa: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
  'rsa-pss': ['PS256', 'PS384', 'PS512'],
  ec: ['ES256', 'ES384', 'ES512'],
  ed25519: ['EdDSA'],
  ed448: ['EdDSA'],
};
const ALL_ASYMMETRIC = [...new Set(Object.values(ASYMMETRIC).flat())];
/** Tolerated clock skew between MGov and the identity provider. */
const CLOCK_TOLERANCE_SECONDS = 30;

/** Verifies signature, expiry and (when configured) issuer and audience; requires `sub` and `exp`. */
export function jwtVerifier(settings: JwtSettings): JwtVerifier {
  const { key, algorithms } = keySource(settings);
  const rolesClaim = settings.rolesClaim ?? 'roles';
  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, key as JWTVerifyGetKey, {
          algorithms,
          issuer: settings.issuer,
          audience: settings.audience,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['sub', 'exp'],
        }));
      } catch (error) {
        throw refusal(error, settings);
      }
      return { subject: payload.sub as string, roles: rolesIn(payload, rolesClaim) };
    },
  };
}

function keySource(settings: JwtSettings): { key: KeyObject | JWTVerifyGetKey; algorithms: string[] } {
  if (settings.jwksUrl) return { key: createRemoteJWKSet(new URL(settings.jwksUrl), { timeoutDuration: 5_000 }), algorithms: ALL_ASYMMETRIC };
  if (settings.publicKey) {
    const key = createPublicKey(settings.publicKey);
    const algorithms = ASYMMETRIC[key.asymmetricKeyType ?? ''];
    if (!algorithms) throw new Error(`MGOV_JWT_PUBLIC_KEY is a ${key.asymmetricKeyType} key; use an RSA, EC or Ed25519 public key`);
    return { key, algorithms };
  }
  if (settings.secret) {
    if (Buffer.byteLength(settings.secret, 'utf8') < 32) throw new Error('MGOV_JWT_SECRET must be at least 32 bytes for HS256');
    return { key: createSecretKey(Buffer.from(settings.secret, 'utf8')), algorithms: ['HS256'] };
  }
  throw new Error('JWT settings name no key: set a JWKS URL, a public key or a secret');
}

/** Roles from a claim or dotted path; a list or a space-separated string, as providers differ. */
export function rolesIn(payload: Record<string, unknown>, claim: string): Role[] {
  const value = claim.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), payload);
  const names = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/\s+/) : [];
  return [...new Set(names.filter(isRole))];
}

function refusal(error: unknown, settings: JwtSettings): AccessError {
  if (error instanceof errors.JWTExpired) return new AccessError(AccessCode.tokenExpired, 'the token has expired; get a fresh one from your identity provider');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return new AccessError(AccessCode.tokenWrongIssuer, `the token was not issued by ${settings.issuer}, the issuer MGov trusts`);
    if (error.claim === 'aud') return new AccessError(AccessCode.tokenWrongAudience, `the token is not meant for ${settings.audience}; request one for that audience`);
    return new AccessError(AccessCode.tokenInvalid, `the token's "${error.claim}" claim is ${error.reason === 'missing' ? 'missing' : 'not acceptable'}`);
  }
  const unavailable = !(error instanceof errors.JOSEError) || ['ERR_JWKS_TIMEOUT', 'ERR_JOSE_GENERIC', 'ERR_JWKS_INVALID'].includes(error.code);
  if (settings.jwksUrl && unavailable) {
    return new AccessError(AccessCode.jwksUnavailable, 'the identity provider\'s signing keys (MGOV_JWT_JWKS_URL) could not be fetched; retry shortly', 503);
  }
  if (error instanceof errors.JWKSNoMatchingKey) return new AccessError(AccessCode.tokenInvalid, 'the token is signed with a key MGov does not trust');
  if (error instanceof errors.JOSEAlgNotAllowed) return new AccessError(AccessCode.tokenInvalid, 'the token is signed with an algorithm MGov does not accept for this key');
  if (error instanceof errors.JWSSignatureVerificationFailed) return new AccessError(AccessCode.tokenInvalid, 'the token\'s signature does not verify');
  return new AccessError(AccessCode.tokenInvalid, 'the token is not a valid signed JWT');
}
