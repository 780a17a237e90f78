const BYTEA_OID = 17;

/**
 * PostgreSQL's binary wire format of a one-dimensional bytea[] (what array_recv reads). node-postgres
 * sends a Buffer parameter in binary format, so the payloads travel as raw bytes instead of as a
 * hex-escaped array literal the server has to parse: half the bytes and no text encoding.
 */
export function encodeByteaArray(items: readonly Uint8Array[]): Buffer {
  const header = 20;
  const size = items.reduce((total, item) => total + 4 + item.byteLength, header);
  const out = Buffer.allocUnsafe(size);
  out.writeInt32BE(1, 0); // dimensions
  out.writeInt32BE(0, 4); // no nulls
  out.writeInt32BE(BYTEA_OID, 8);
  out.writeInt32BE(items.length, 12);
  out.writeInt32BE(1, 16); // lower bound
  let offset = header;
  for (const item of items) {
    out.writeInt32BE(item.byteLength, offset);
    out.set(item, offset + 4);
    offset += 4 + item.byteLength;
  }
  return out;
}
