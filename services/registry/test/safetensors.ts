/** A small, distinct safetensors file per seed (one float32 tensor). */
export function safetensorsOfSize(seed: number): Buffer {
  const header = Buffer.from(JSON.stringify({ weight: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, __metadata__: { seed: String(seed) } }));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(header.length));
  const data = Buffer.alloc(8);
  data.writeFloatLE(seed, 0);
  return Buffer.concat([length, header, data]);
}
