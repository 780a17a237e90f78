import { type Admin, AclOperationTypes, AclPermissionTypes, AclResourceTypes, ResourcePatternTypes } from 'kafkajs';
import { Topics } from '../topics';

/** One ACL of the platform's plan, readable by people (`why`) and applied by `applyAcls`. */
export interface PlannedAcl {
  readonly principal: string;
  readonly resource: 'topic' | 'group' | 'cluster';
  readonly name: string;
  readonly pattern: 'literal' | 'prefixed';
  readonly operation: 'read' | 'write' | 'describe' | 'create';
  readonly why: string;
}

export interface PlatformAclOptions {
  /** Principal of service `<s>` is `User:<servicePrefix><s>` (default `mgov-`). */
  readonly servicePrefix?: string;
  /** Principals of inference services: they may publish predictions and outcomes, nothing else. */
  readonly inferencePrincipals?: readonly string[];
  /** Principals of downstream systems: they may read `mgov.quarantine` in groups named after themselves. */
  readonly quarantineSubscribers?: readonly string[];
}

export const PLATFORM_SERVICES = ['lineage', 'experiment', 'registry', 'monitoring', 'retraining', 'audit'] as const;

/** Topics a service publishes besides its own events topic (the kernel's extra publications). */
const EXTRA_PUBLICATIONS: Partial<Record<(typeof PLATFORM_SERVICES)[number], readonly string[]>> = { retraining: [Topics.quarantine] };

/**
 * Who may do what on the broker, so that the log cannot be forged from outside a service: each service
 * writes only its own `mgov.<service>.events` (plus its public publications and the dead-letter topic)
 * and reads every MGov topic; inference services only publish predictions and outcomes; downstream
 * systems only read quarantines. Anything not listed is denied (the broker runs with
 * `allow.everyone.if.no.acl.found=false`).
 */
export function platformAcls(options: PlatformAclOptions = {}): PlannedAcl[] {
  const prefix = options.servicePrefix ?? 'mgov-';
  const acls: PlannedAcl[] = [];
  const allow = (principal: string, resource: PlannedAcl['resource'], name: string, pattern: PlannedAcl['pattern'], operations: PlannedAcl['operation'][], why: string) => {
    for (const operation of operations) acls.push({ principal: `User:${principal}`, resource, name, pattern, operation, why });
  };
  for (const service of PLATFORM_SERVICES) {
    const principal = `${prefix}${service}`;
    allow(principal, 'topic', Topics.events(service), 'literal', ['write', 'describe'], `${service} publishes its own log, and only it`);
    for (const topic of EXTRA_PUBLICATIONS[service] ?? []) allow(principal, 'topic', topic, 'literal', ['write'], `${service} publishes ${topic}`);
    allow(principal, 'topic', Topics.dlq, 'literal', ['write'], 'undecodable messages are set aside with their reason');
    allow(principal, 'topic', 'mgov.', 'prefixed', ['read', 'describe', 'create'], 'services build their projections from every MGov topic (and create missing ones at start)');
    allow(principal, 'group', `mgov.${service}.`, 'prefixed', ['read'], `${service}'s consumer groups are mgov.${service}.<reactor>`);
  }
  for (const principal of options.inferencePrincipals ?? []) {
    for (const topic of [Topics.predictions, Topics.outcomes]) allow(principal, 'topic', topic, 'literal', ['write', 'describe'], 'inference services publish predictions and outcomes only');
  }
  for (const principal of options.quarantineSubscribers ?? []) {
    allow(principal, 'topic', Topics.quarantine, 'literal', ['read', 'describe'], 'downstream systems follow quarantines');
    allow(principal, 'group', principal, 'prefixed', ['read'], 'in consumer groups named after themselves');
  }
  return acls;
}

const RESOURCE = { topic: AclResourceTypes.TOPIC, group: AclResourceTypes.GROUP, cluster: AclResourceTypes.CLUSTER } as const;
const OPERATION = { read: AclOperationTypes.READ, write: AclOperationTypes.WRITE, describe: AclOperationTypes.DESCRIBE, create: AclOperationTypes.CREATE } as const;
const PATTERN = { literal: ResourcePatternTypes.LITERAL, prefixed: ResourcePatternTypes.PREFIXED } as const;

/** Creates the planned ACLs (creating an existing ACL again is a no-op on the broker). Needs a super user's admin client. */
export async function applyAcls(admin: Admin, acls: readonly PlannedAcl[]): Promise<void> {
  await admin.createAcls({
    acl: acls.map((a) => ({
      resourceType: RESOURCE[a.resource], resourceName: a.name, resourcePatternType: PATTERN[a.pattern],
      principal: a.principal, host: '*', operation: OPERATION[a.operation], permissionType: AclPermissionTypes.ALLOW,
    })),
  });
}
