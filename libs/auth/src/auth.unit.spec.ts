import { createHash } from 'node:crypto';
import { actingRole, apiKeySecretMatches, formatApiKey, hashApiKeySecret, isRole, parseApiKey, ROLES } from './index';

const secret = 'A'.repeat(20) + '_-' + 'b'.repeat(21);

describe('roles', () => {
  it('knows exactly the seven MGov roles', () => {
    expect(ROLES).toHaveLength(7);
    expect(isRole('model-reviewer')).toBe(true);
    expect(isRole('governance')).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });

  it('acts in the first required role held, in admin only when nothing else fits', () => {
    expect(actingRole(['model-reviewer'], ['data-scientist', 'model-reviewer'])).toBe('model-reviewer');
    expect(actingRole(['model-reviewer'], ['admin', 'model-reviewer'])).toBe('model-reviewer');
    expect(actingRole(['model-reviewer'], ['admin'])).toBe('admin');
    expect(actingRole(['data-scientist', 'ml-engineer'], ['ml-engineer'])).toBe('ml-engineer');
    expect(actingRole(['model-reviewer'], ['data-scientist'])).toBeNull();
    expect(actingRole([], ['admin'])).toBe('admin');
    expect(actingRole([], ['data-steward'])).toBeNull();
  });
});

describe('API key tokens', () => {
  it('round-trip mgov_<keyId>_<secret>, with "_" allowed inside the secret', () => {
    const token = formatApiKey({ keyId: 'a1b2c3d4', secret });
    expect(token).toBe(`mgov_a1b2c3d4_${secret}`);
    expect(parseApiKey(token)).toEqual({ keyId: 'a1b2c3d4', secret });
  });

  it.each([
    ['no prefix', `a1b2c3d4_${secret}`],
    ['upper-case key id', `mgov_A1B2C3D4_${secret}`],
    ['short key id', `mgov_abc_${secret}`],
    ['short secret', 'mgov_a1b2c3d4_tooshort'],
    ['no secret', 'mgov_a1b2c3d4'],
    ['bad characters', `mgov_a1b2c3d4_${secret.slice(1)}!`],
  ])('refuse a malformed key (%s)', (_, token) => {
    expect(parseApiKey(token)).toBeNull();
  });

  it('keeps only the sha256 of the secret and compares against it', () => {
    const hash = hashApiKeySecret(secret);
    expect(hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(hash).not.toContain(secret);
    expect(apiKeySecretMatches(secret, hash)).toBe(true);
    expect(apiKeySecretMatches(`${secret}x`, hash)).toBe(false);
    expect(apiKeySecretMatches(secret, 'abcd')).toBe(false);
  });
});
