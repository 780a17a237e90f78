import { apiKeySecretMatches, isRole, looksLikeApiKey, parseApiKey } from '@mgov/auth';
import { AccessCode, AccessError, HOW_TO_AUTHENTICATE } from './access-error';
import type { ApiKeyDirectory } from './api-key-directory';
import type { JwtVerifier } from './jwt-verifier';
import type { Principal } from './principal';

export interface AuthenticatorOptions {
  readonly apiKeys: ApiKeyDirectory;
  /** Null when no JWT key source is configured: tokens are then refused. */
  readonly jwt: JwtVerifier | null;
  readonly now?: () => number;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Turns an `Authorization` header into a principal, or refuses with a 401 saying why. */
export class Authenticator {
  private readonly now: () => number;

  constructor(private readonly options: AuthenticatorOptions) {
    this.now = options.now ?? Date.now;
  }

  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (!authorization?.trim()) throw new AccessError(AccessCode.unauthenticated, `this endpoint needs credentials: ${HOW_TO_AUTHENTICATE}`);
    const [scheme, credential, ...rest] = authorization.trim().split(/\s+/);
    if (scheme.toLowerCase() !== 'bearer' || !credential || rest.length > 0) {
      throw new AccessError(AccessCode.malformedCredential, `the Authorization header must be "Bearer <token>": ${HOW_TO_AUTHENTICATE}`);
    }
    if (looksLikeApiKey(credential)) return this.apiKey(credential);
    if (JWT_SHAPE.test(credential)) return this.jwt(credential);
    throw new AccessError(AccessCode.malformedCredential, `the bearer token is neither an MGov API key nor a JWT: ${HOW_TO_AUTHENTICATE}`);
  }

  private async apiKey(presented: string): Promise<Principal> {
    const token = parseApiKey(presented);
    if (!token) throw new AccessError(AccessCode.malformedCredential, 'the API key is malformed: it must be mgov_<id>_<secret> exactly as issued');
    const key = await this.options.apiKeys.find(token.keyId);
    // An unknown id and a wrong secret answer alike: the response must not help guess secrets.
    if (!key || !apiKeySecretMatches(token.secret, key.secretHash)) {
      throw new AccessError(AccessCode.unknownApiKey, 'the API key is not known here (mistyped, or issued moments ago and not yet seen by this service); ask an admin for a key');
    }
    if (key.revoked) throw new AccessError(AccessCode.apiKeyRevoked, `API key ${key.keyId} was revoked; ask an admin for a new one`);
    if (key.expiresAt !== null && key.expiresAt <= this.now()) {
      throw new AccessError(AccessCode.apiKeyExpired, `API key ${key.keyId} expired at ${new Date(key.expiresAt).toISOString()}; ask an admin for a new one`);
    }
    await this.refuseSuspended(key.name);
    return { id: key.name, roles: key.roles.filter(isRole), via: 'api-key', keyId: key.keyId };
  }

  /** A suspended principal's credentials are all refused, tokens from the identity provider included. */
  private async refuseSuspended(subject: string): Promise<void> {
    const reason = await this.options.apiKeys.suspension(subject);
    if (reason !== null) throw new AccessError(AccessCode.principalSuspended, `${subject} is suspended (${reason}); an admin can reinstate it`);
  }

  private async jwt(token: string): Promise<Principal> {
    if (!this.options.jwt) {
      throw new AccessError(AccessCode.jwtNotAccepted, 'this MGov does not accept JWTs (no MGOV_JWT_JWKS_URL, MGOV_JWT_PUBLIC_KEY or MGOV_JWT_SECRET is set); use an API key');
    }
    const verified = await this.options.jwt.verify(token);
    await this.refuseSuspended(verified.subject);
    return { id: verified.subject, roles: verified.roles, via: 'jwt' };
  }
}
