import { InvalidSchemaNameError } from './errors';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Validates a PostgreSQL identifier (schema or role) and returns it double-quoted. Only plain
 * lower-case identifiers are accepted, so a name is spelled the same in SQL and in catalogs.
 */
export function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new InvalidSchemaNameError(
      `"${name}" is not a valid identifier: use lower-case letters, digits and "_" (at most 63, not starting with a digit).`,
    );
  }
  return `"${name}"`;
}
