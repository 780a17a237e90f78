import { Command } from 'commander';
import { version } from '../../package.json';
import { addAuditCommands } from './audit-commands';
import { addAuthCommands } from './auth-commands';
import { addBiasCommands } from './bias-commands';
import { addCaseCommands } from './case-commands';
import { addDatasetCommands } from './dataset-commands';
import { addDriftCommands } from './drift-commands';
import { addLeafGlobalOptions, addProgramOptions } from './global-options';
import { addHealthCommands } from './health-commands';
import { addKafkaCommands } from './kafka-commands';
import { addModelCommands } from './model-commands';
import { addMonitoringCommands } from './monitoring-commands';
import { addRetrainCommands } from './retrain-commands';
import { addRunCommands } from './run-commands';
import { addExperimentCommands } from './experiment-commands';
import { addSourceCommands } from './source-commands';

const EXIT_CODES = `
Exit codes:
  0  success
  1  the server refused or failed (stderr: error CODE: message)
  2  usage error: bad arguments or options, an unreadable or malformed input file
     (mgov bias: also an empty file or a column the file lacks)
  3  audit verification failed (a broken hash chain, or a digest that does not verify)
  4  cannot reach MGov at --url`;

/** The whole command tree; settings made here before adding commands are inherited by every command. */
export function buildProgram(): Command {
  const program = new Command('mgov')
    .description('MGov: ML model governance from the command line')
    .version(version, '-V, --version')
    .exitOverride()
    .enablePositionalOptions()
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', EXIT_CODES);
  addProgramOptions(program);
  addHealthCommands(program);
  addSourceCommands(program);
  addDatasetCommands(program);
  addExperimentCommands(program);
  addRunCommands(program);
  addModelCommands(program);
  addMonitoringCommands(program);
  addCaseCommands(program);
  addRetrainCommands(program);
  addAuditCommands(program);
  addAuthCommands(program);
  addKafkaCommands(program);
  addBiasCommands(program);
  addDriftCommands(program);
  addLeafGlobalOptions(program);
  return program;
}
