import type { StoreContext } from './test-database';

/** Both adapters hand application code the same JS types. */
export function adapterTypesContract(ctx: StoreContext): void {
  it('returns bigint as a decimal string, bytea as Buffer, timestamps as Date and json as objects', async () => {
    const [row] = await ctx.db.query<Record<string, unknown>>(
      `SELECT 9007199254740993::bigint AS big, ARRAY[1, 2]::bigint[] AS bigs, '\\x00ff'::bytea AS bytes,
              '2024-01-02 03:04:05+00'::timestamptz AS at, '2024-01-02'::date AS day, '{"a":[1]}'::jsonb AS doc,
              pg_current_xact_id() AS xid, 7::int AS small`,
    );
    expect(row.big).toBe('9007199254740993');
    expect(row.bigs).toEqual(['1', '2']);
    expect(row.bytes).toBeInstanceOf(Buffer);
    expect([...(row.bytes as Buffer)]).toEqual([0, 255]);
    expect(row.at).toBeInstanceOf(Date);
    expect((row.at as Date).toISOString()).toBe('2024-01-02T03:04:05.000Z');
    expect(row.day).toBeInstanceOf(Date);
    expect(row.doc).toEqual({ a: [1] });
    expect(typeof row.xid).toBe('string');
    expect(row.small).toBe(7);
  });
}
