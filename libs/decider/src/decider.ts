import type { Actor } from '@mgov/contracts';

/** Who asked, when, and why: everything a decider may not read from the world itself. */
export interface CommandMetadata {
  readonly actor: Actor;
  /** Epoch milliseconds, read from the clock by the caller. */
  readonly now: number;
  readonly correlationId: string;
  readonly causationId?: string | null;
}

/**
 * An aggregate as three pure functions (invariant 7). `decide` returns the new facts or
 * throws a `DomainError`; `evolve` folds one fact into the state.
 */
export interface Decider<Command, Event, State> {
  readonly initialState: () => State;
  readonly decide: (command: Command, state: State) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
}

/** A refusal with a stable code (`REGISTRY.REVIEW_NOT_PASSED`) and a message saying what to do. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 422 = 409,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
