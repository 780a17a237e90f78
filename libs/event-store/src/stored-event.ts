/** An event about to be appended: its id, its type and the exact bytes to store. */
export interface NewEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: Uint8Array;
}

/** An event as the log holds it. Positions are bigint-safe decimal strings. */
export interface StoredEvent {
  readonly position: string;
  readonly transactionId: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly eventId: string;
  readonly type: string;
  readonly data: Buffer;
  readonly recordedAt: Date;
  readonly prevHash: Buffer;
  readonly hash: Buffer;
}

/**
 * How far a reader got in the global log: ordered by (transactionId, position) so that an
 * event committed late by a slower transaction is never skipped (invariant 3).
 */
export interface Checkpoint {
  readonly transactionId: string;
  readonly position: string;
}

export const START: Checkpoint = { transactionId: '0', position: '0' };

export type ExpectedVersion = number | 'any';
