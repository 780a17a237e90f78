import { runCli } from './run-cli';

// A reader that stops early (`mgov … | head`) closes the pipe: the rest of the output has nowhere to
// go, which is not an error of the command (as for any Unix tool, it just stops).
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

// Entry point of `mgov` (see mgov.js); the exit code is set, not forced, so stdout drains first.
void runCli(process.argv).then((code) => {
  process.exitCode = code;
});
