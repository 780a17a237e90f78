import { runCli } from './run-cli';

// Entry point of `mgov` (see mgov.js); the exit code is set, not forced, so stdout drains first.
void runCli(process.argv).then((code) => {
  process.exitCode = code;
});
