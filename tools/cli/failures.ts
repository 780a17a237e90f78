/** The CLI's exit codes; scripts may rely on them. */
export const ExitCode = {
  ok: 0,
  apiError: 1,
  usage: 2,
  verificationFailed: 3,
  unreachable: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The server answered with an error: `{error: {code, message}}`, or something it should not have. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** No HTTP answer at all: nothing listens at the URL, DNS failed, the connection dropped. */
export class UnreachableError extends Error {
  constructor(readonly url: string, readonly reason: string) {
    super(`cannot reach MGov at ${url}: start it with \`npm start\` or pass --url (${reason})`);
  }
}

/** Bad input found before anything was sent (a malformed rows file, a bad k=v pair). */
export class UsageError extends Error {}

/** The audit ledger did not verify. */
export class VerificationFailed extends Error {}
