import { CommanderError } from 'commander';
import { ApiError, ExitCode, UnreachableError, UsageError, VerificationFailed } from './failures';
import { buildProgram } from './program';

/** Runs one invocation and turns its outcome into an exit code, with a one-line reason on stderr. */
export async function runCli(argv: readonly string[]): Promise<ExitCode> {
  try {
    await buildProgram().parseAsync([...argv]);
    return ExitCode.ok;
  } catch (error) {
    return reportFailure(error);
  }
}

function reportFailure(error: unknown): ExitCode {
  // Commander has already printed its own message (or the help / version it was asked for).
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  if (error instanceof ApiError) {
    process.stderr.write(`error ${error.code}: ${error.message}\n`);
    return ExitCode.apiError;
  }
  if (error instanceof UnreachableError) {
    process.stderr.write(`${error.message}\n`);
    return ExitCode.unreachable;
  }
  if (error instanceof VerificationFailed) {
    process.stderr.write(`${error.message}\n`);
    return ExitCode.verificationFailed;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`error: ${error.message}\n`);
    return ExitCode.usage;
  }
  process.stderr.write(`error: ${(error as Error)?.stack ?? String(error)}\n`);
  return ExitCode.apiError;
}
