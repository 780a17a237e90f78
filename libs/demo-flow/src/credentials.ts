import type { Caller, MgovClient } from './http-client';

export const SERVICES = ['lineage', 'experiment', 'registry', 'monitoring', 'retraining', 'audit'] as const;

/** A caller whose key the flow issued; `keyId` names it without revealing it. */
export interface KeyHolder extends Caller {
  readonly keyId: string;
  readonly roles: readonly string[];
}

/** Everyone the walking skeleton needs, each with their own key and role. */
export interface FlowCallers {
  readonly steward: KeyHolder;
  readonly scientist: KeyHolder;
  readonly reviewer: KeyHolder;
  readonly auditor: KeyHolder;
  readonly inference: KeyHolder;
}

/** Asks audit (as an admin) for a new API key. */
export async function issueApiKey(client: MgovClient, admin: Caller, name: string, roles: readonly string[]): Promise<KeyHolder> {
  const issued = await client.call<{ keyId: string; token: string }>('audit', 'POST', '/access/api-keys', admin, { name, roles });
  return { name, token: issued.token, keyId: issued.keyId, roles };
}

/** Waits until every service has seen the keys (in the distributed runtime they travel through Kafka). */
export async function untilKnownEverywhere(client: MgovClient, holders: readonly Caller[], services: readonly string[] = SERVICES): Promise<void> {
  await Promise.all(services.flatMap((service) => holders.map((holder) =>
    client.eventually(`${service} to know ${holder.name}'s key`, () => client.call(service, 'GET', '/access/whoami', holder)))));
}

/** Issues the walking skeleton's five keys with the admin's key, and waits until every service knows them. */
export async function issueFlowCallers(client: MgovClient, admin: Caller): Promise<FlowCallers> {
  const [steward, scientist, reviewer, auditor, inference] = await Promise.all([
    issueApiKey(client, admin, 'dana.steward', ['data-steward']),
    issueApiKey(client, admin, 'sam.scientist', ['data-scientist']),
    issueApiKey(client, admin, 'rita.reviewer', ['model-reviewer']),
    issueApiKey(client, admin, 'gus.governance', ['governance-auditor']),
    issueApiKey(client, admin, 'scoring-service', ['inference-service']),
  ]);
  const callers = { steward, scientist, reviewer, auditor, inference };
  await untilKnownEverywhere(client, Object.values(callers));
  return callers;
}
