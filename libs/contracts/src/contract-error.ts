export type ContractErrorCode =
  | 'CONTRACTS.BAD_MAGIC'
  | 'CONTRACTS.UNKNOWN_FINGERPRINT'
  | 'CONTRACTS.MALFORMED_BODY'
  | 'CONTRACTS.UNKNOWN_EVENT_TYPE'
  | 'CONTRACTS.INVALID_EVENT';

/** A message or event that does not fit MGov's Avro contracts. */
export class ContractError extends Error {
  constructor(
    readonly code: ContractErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ContractError';
  }
}
