import type { Command } from 'commander';
import type { PlannedAcl } from '@mgov/messaging';
import { collectList } from './arguments';
import { UsageError } from './failures';
import { cliOf, leaf } from './global-options';
import { listTable } from './tables';

interface AclOptions {
  readonly servicePrefix: string;
  readonly inference?: string[];
  readonly subscriber?: string[];
  readonly apply?: boolean;
}

const HOW = `
Each service writes only its own mgov.<service>.events (plus mgov.quarantine for retraining and
mgov.dlq) and reads every mgov.* topic; inference services only publish mgov.predictions and
mgov.outcomes; downstream systems only read mgov.quarantine. The broker must run with an authorizer
and allow.everyone.if.no.acl.found=false; services authenticate with MGOV_KAFKA_SASL_MECHANISM,
MGOV_KAFKA_USERNAME and MGOV_KAFKA_PASSWORD(_FILE). --apply connects to MGOV_KAFKA_BROKERS with
those variables, which must name a super user.`;

export function addKafkaCommands(program: Command): void {
  const kafka = program.command('kafka').description('the Kafka side of the platform: who may publish and read which topics');
  leaf(kafka, 'acls', 'the platform\'s Kafka ACLs; prints the plan, --apply creates them on the broker', ['url', 'token'])
    .option('--service-prefix <prefix>', 'service principals are User:<prefix><service>', 'mgov-')
    .option('--inference <principals...>', 'principals of inference services (comma-separated or repeated)', collectList)
    .option('--subscriber <principals...>', 'principals of downstream systems that follow quarantines', collectList)
    .option('--apply', 'create the ACLs on the broker at MGOV_KAFKA_BROKERS')
    .addHelpText('after', HOW)
    .action(async (options: AclOptions, command: Command) => {
      const { out } = cliOf(command);
      const { applyAcls, kafkaSecurityFromEnv, platformAcls } = await import('@mgov/messaging');
      const acls = platformAcls({ servicePrefix: options.servicePrefix, inferencePrincipals: options.inference, quarantineSubscribers: options.subscriber });
      if (options.apply) {
        const brokers = process.env.MGOV_KAFKA_BROKERS;
        if (!brokers) throw new UsageError('--apply needs MGOV_KAFKA_BROKERS (and a super user\'s MGOV_KAFKA_* credentials)');
        const { Kafka, logLevel } = await import('kafkajs');
        const admin = new Kafka({ clientId: 'mgov-cli-acls', brokers: brokers.split(','), logLevel: logLevel.NOTHING, ...kafkaSecurityFromEnv() }).admin();
        await admin.connect();
        try {
          await applyAcls(admin, acls);
        } finally {
          await admin.disconnect();
        }
        out.note(`created ${acls.length} ACLs on ${brokers}`);
      }
      out.show(acls, (rows: PlannedAcl[]) => listTable(rows, [
        { header: 'principal', value: (a) => a.principal }, { header: 'operation', value: (a) => a.operation },
        { header: 'resource', value: (a) => `${a.resource} ${a.name}${a.pattern === 'prefixed' ? '*' : ''}` }, { header: 'why', value: (a) => a.why },
      ]));
    });
}
