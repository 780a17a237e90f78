import { ContractError } from './contract-error';
import { fingerprintBytes } from './crc64-avro';

const MAGIC = Buffer.from([0xc3, 0x01]);
const HEADER_LENGTH = 10;

/** Avro single-object encoding: `C3 01`, the writer schema's CRC-64-AVRO fingerprint, the body. */
export function frame(fingerprint: bigint, body: Buffer): Buffer {
  return Buffer.concat([MAGIC, fingerprintBytes(fingerprint), body]);
}

export function unframe(bytes: Buffer): { fingerprint: bigint; body: Buffer } {
  if (bytes.length < HEADER_LENGTH || bytes[0] !== MAGIC[0] || bytes[1] !== MAGIC[1]) {
    throw new ContractError(
      'CONTRACTS.BAD_MAGIC',
      'not an Avro single-object message: it must start with C3 01 and an 8-byte schema fingerprint',
    );
  }
  return { fingerprint: bytes.readBigUInt64LE(2), body: bytes.subarray(HEADER_LENGTH) };
}
