import type { EnvelopedEvent, RunCompleted } from '@mgov/contracts';
import type { Sql } from '@mgov/event-store';
import { Topics } from '@mgov/messaging';
import { retrainingDecider, retrainingStreamId } from '@mgov/retraining-domain';
import type { Reactor, ServiceRuntime } from '@mgov/service-runtime';
import { RETRAINING_ID_PARAM } from '../runners/runner';
import { retrainingLinks } from './links';
import type { RetrainingConfig } from './retraining-config';

/** The model artifact of a run: the one named like a model, else the first; as `sha256:<hex>`. */
function modelDigest(run: RunCompleted['data']): string | null {
  if (run.artifactDigest) return run.artifactDigest.startsWith('sha256:') ? run.artifactDigest : `sha256:${run.artifactDigest}`;
  const artifact = run.artifacts.find((a) => /(^|\/)model/i.test(a.path)) ?? run.artifacts[0];
  return artifact ? `sha256:${artifact.sha256}` : null;
}

/**
 * Finishes a retraining attempt from the experiment service's `RunCompleted` (v2) of the run whose
 * param `mgov.retraining_id` names it: FINISHED with a model artifact succeeds, anything else fails
 * the attempt. In the inbox transaction, so it is recorded exactly once.
 */
export function runResults(runtime: ServiceRuntime, config: RetrainingConfig): Reactor {
  return {
    name: 'run-results',
    topics: [Topics.events('experiment')],
    async handle(tx: Sql, message) {
      if (message.kind !== 'event' || message.event.type !== 'RunCompleted') return;
      const event = message.event as EnvelopedEvent & RunCompleted;
      const retrainingId = event.data.params?.[RETRAINING_ID_PARAM];
      if (!retrainingId) return;
      const streamId = retrainingStreamId(retrainingId);
      const history = await runtime.store.readStream(streamId, { tx });
      const state = history.map((s) => runtime.codec.decodeEvent(s.data) as never).reduce(retrainingDecider.evolve, retrainingDecider.initialState());
      if (state.status !== 'running') return;
      const metadata = { actor: { id: event.data.user || 'retraining', role: 'service' }, now: runtime.clock.now(), correlationId: event.envelope.correlationId, causationId: event.envelope.eventId };
      const digest = modelDigest(event.data);
      const command = event.data.status === 'FINISHED' && digest
        ? { type: 'Succeed' as const, runId: event.data.runId, artifactDigest: digest, metadata }
        : {
            type: 'FailAttempt' as const, attempt: state.attempts, maxAttempts: config.maxAttempts, logTail: '', metadata,
            reason: digest ? `run ${event.data.runId} ended ${event.data.status}` : `run ${event.data.runId} logged no model artifact`,
          };
      await runtime.commands.execute({ streamId, decider: retrainingDecider, links: retrainingLinks, tx, command });
    },
  };
}
