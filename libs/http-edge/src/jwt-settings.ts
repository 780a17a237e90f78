/** How people's OIDC-compatible access tokens are verified (exactly one key source). */
export interface JwtSettings {
  /** A JWKS endpoint (the identity provider's `jwks_uri`); keys are fetched and cached. */
  readonly jwksUrl?: string;
  /** One PEM public key (RSA, EC or Ed25519). */
  readonly publicKey?: string;
  /** A shared secret for HS256 (at least 32 bytes). */
  readonly secret?: string;
  /** Checked against `iss` when set. */
  readonly issuer?: string;
  /** Checked against `aud` when set. */
  readonly audience?: string;
  /** Where the roles are: a claim name or a dotted path such as `realm_access.roles` (default `roles`). */
  readonly rolesClaim?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** `MGOV_JWT_*` from the environment; null when no key source is configured (JWTs are then refused). */
export function jwtSettingsFromEnv(env: Env = process.env): JwtSettings | null {
  const value = (name: string) => (env[name]?.trim() ? env[name]?.trim() : undefined);
  const sources = ['MGOV_JWT_JWKS_URL', 'MGOV_JWT_PUBLIC_KEY', 'MGOV_JWT_SECRET'].filter((name) => value(name));
  if (sources.length > 1) throw new Error(`set only one of ${sources.join(', ')}: a token is verified against exactly one key source`);
  if (sources.length === 0) {
    const stray = ['MGOV_JWT_ISSUER', 'MGOV_JWT_AUDIENCE'].filter((name) => value(name));
    if (stray.length > 0) throw new Error(`${stray.join(' and ')} set but no key to verify tokens with: set MGOV_JWT_JWKS_URL, MGOV_JWT_PUBLIC_KEY or MGOV_JWT_SECRET`);
    return null;
  }
  return {
    jwksUrl: value('MGOV_JWT_JWKS_URL'),
    // A PEM in an env var often arrives with its newlines escaped.
    publicKey: value('MGOV_JWT_PUBLIC_KEY')?.replace(/\\n/g, '\n'),
    secret: value('MGOV_JWT_SECRET'),
    issuer: value('MGOV_JWT_ISSUER'),
    audience: value('MGOV_JWT_AUDIENCE'),
    rolesClaim: value('MGOV_JWT_ROLES_CLAIM'),
  };
}
