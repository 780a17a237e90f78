import type { ReviewPolicyPublished } from '@mgov/contracts';
import { assertNever, type CommandMetadata, type Decider } from '@mgov/decider';
import { checkedPolicyScope, checkedReviewPolicy, type ReviewPolicy } from './review-policy';

export type PublishReviewPolicy = {
  readonly type: 'PublishReviewPolicy';
  readonly scope: string;
  /** The YAML text as published: the event keeps it verbatim. */
  readonly document: string;
  readonly sha256: string;
  /** The document, parsed by the caller (YAML is an adapter concern). */
  readonly parsed: unknown;
  readonly metadata: CommandMetadata;
};

export type ReviewPolicyState = { readonly version: number; readonly sha256: string | null; readonly policy: ReviewPolicy | null; readonly policyId: string | null };

export const policyId = (scope: string, version: number) => `${scope}@v${version}`;

function publish(command: PublishReviewPolicy, state: ReviewPolicyState): ReviewPolicyPublished[] {
  const scope = checkedPolicyScope(command.scope);
  checkedReviewPolicy(command.parsed);
  // Publishing the document in force again changes nothing.
  if (state.sha256 === command.sha256) return [];
  const policyVersion = state.version + 1;
  return [{
    type: 'ReviewPolicyPublished',
    data: { scope, policyVersion, policyId: policyId(scope, policyVersion), document: command.document, sha256: command.sha256, publishedBy: command.metadata.actor.id },
  }];
}

/**
 * Review policies as code, one stream per scope (`review-policy:<scope>`); every published document is a
 * new version, and the parsed policy is kept so judgements can apply it.
 */
export function reviewPolicyDecider(parse: (document: string) => unknown): Decider<PublishReviewPolicy, ReviewPolicyPublished, ReviewPolicyState> {
  return {
    initialState: () => ({ version: 0, sha256: null, policy: null, policyId: null }),
    decide: (command, state) => {
      switch (command.type) {
        case 'PublishReviewPolicy':
          return publish(command, state);
        default:
          return assertNever(command.type);
      }
    },
    evolve: (_state, event) => ({
      version: event.data.policyVersion, sha256: event.data.sha256, policyId: event.data.policyId, policy: checkedReviewPolicy(parse(event.data.document)),
    }),
  };
}
