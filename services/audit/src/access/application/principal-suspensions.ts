import type { CommandMetadata } from '@mgov/decider';
import { type PrincipalEvent, principalDecider, principalStreamId } from '@mgov/access-domain';
import { listSuspensions, type ServiceRuntime } from '@mgov/service-runtime';

/** Suspending and reinstating principals (people and integrations), and the authoritative lookup. */
export class PrincipalSuspensions {
  constructor(private readonly runtime: ServiceRuntime) {}

  suspend(subject: string, reason: unknown, metadata: CommandMetadata) {
    return this.decide({ type: 'SuspendPrincipal', subject, reason: typeof reason === 'string' ? reason : '', metadata });
  }

  reinstate(subject: string, reason: unknown, metadata: CommandMetadata) {
    return this.decide({ type: 'ReinstatePrincipal', subject, reason: typeof reason === 'string' ? reason : '', metadata });
  }

  private async decide(command: Parameters<typeof principalDecider.decide>[0]) {
    const events = await this.runtime.commands.execute({ streamId: principalStreamId(command.subject), decider: principalDecider, links: () => [], command });
    const state = await this.state(command.subject);
    return { subject: command.subject, suspended: state.status === 'suspended', changed: events.length > 0 };
  }

  /** Folded from the write model, so the process hosting audit refuses a suspended principal at once. */
  async suspension(subject: string): Promise<string | null> {
    const state = await this.state(subject);
    return state.status === 'suspended' ? state.reason : null;
  }

  list() {
    return listSuspensions(this.runtime.db, this.runtime.schema);
  }

  private async state(subject: string) {
    const history = await this.runtime.store.readStream(principalStreamId(subject));
    return history.map((stored) => this.runtime.codec.decodeEvent(stored.data) as PrincipalEvent).reduce(principalDecider.evolve, principalDecider.initialState());
  }
}
