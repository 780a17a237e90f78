/** The bounded contexts that publish their events on `mgov.<context>.events`. */
export const EVENT_CONTEXTS = ['lineage', 'experiment', 'registry', 'monitoring', 'retraining'] as const;
export type EventTopicContext = (typeof EVENT_CONTEXTS)[number];

const CONTEXT_NAME = /^[a-z][a-z0-9-]*$/;

/** MGov's topic names, in one place. */
export const Topics = {
  /** `mgov.<context>.events`: the owning service's relay publishes its log here, keyed by stream id. */
  events(context: EventTopicContext | (string & {})): string {
    if (!CONTEXT_NAME.test(context)) throw new Error(`"${context}" is not a context name: use lower-case letters, digits and "-"`);
    return `mgov.${context}.events`;
  },
  /** High-volume prediction events from inference services, keyed by model id. */
  predictions: 'mgov.predictions',
  /** Ground truth for earlier predictions, keyed by prediction id. */
  outcomes: 'mgov.outcomes',
  /** The public quarantine contract for downstream systems, keyed by model id. */
  quarantine: 'mgov.quarantine',
  /** Messages a consumer could not decode, keyed by their original key. */
  dlq: 'mgov.dlq',
} as const;

/** Every topic MGov itself uses; create them all at start-up. */
export const ALL_TOPICS: readonly string[] = [
  ...EVENT_CONTEXTS.map((context) => Topics.events(context)),
  Topics.predictions,
  Topics.outcomes,
  Topics.quarantine,
  Topics.dlq,
];
