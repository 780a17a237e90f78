const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Quotes a schema name after checking it, since it is spliced into SQL text. */
export function quoteSchema(schema: string): string {
  if (!IDENTIFIER.test(schema)) {
    throw new Error(`"${schema}" is not a valid schema name: use lower-case letters, digits and "_" (at most 63)`);
  }
  return `"${schema}"`;
}
