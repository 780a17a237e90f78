import { createHash } from 'node:crypto';
import type { ReviewPolicyPublished } from '@mgov/contracts';
import type { CommandMetadata } from '@mgov/decider';
import { DomainError } from '@mgov/decider';
import type { Sql } from '@mgov/event-store';
import {
  BUILT_IN_POLICY, checkedPolicyScope, checkedReviewPolicy, type PolicyInForce, reviewPolicyDecider,
} from '@mgov/registry-domain';
import type { ReadModel, ServiceRuntime } from '@mgov/service-runtime';
import { parse } from 'yaml';
import { registryLinks } from './links';

/** A YAML document as data, or REGISTRY.INVALID_POLICY with the parser's complaint. */
export function parsePolicyDocument(document: string): unknown {
  try {
    return parse(document, { prettyErrors: true, maxAliasCount: 10 }) as unknown;
  } catch (error) {
    throw new DomainError('REGISTRY.INVALID_POLICY', `the policy is not valid YAML: ${(error as Error).message.split('\n')[0]}`, 400);
  }
}

export interface PolicyRow {
  policy_id: string;
  scope: string;
  version: number;
  document: string;
  sha256: string;
  published_by: string;
  published_at: Date;
}

/** Review policies as code: versioned YAML documents per model, use case or default, published as events. */
export class ReviewPolicies {
  readonly readModel: ReadModel;
  private readonly table: string;
  private readonly decider = reviewPolicyDecider(parsePolicyDocument);

  constructor(private readonly runtime: ServiceRuntime) {
    const table = (this.table = `${runtime.schema}.review_policies_v1`);
    this.readModel = {
      name: 'review-policies',
      version: 1,
      async setup(tx: Sql) {
        await tx.query(`CREATE TABLE IF NOT EXISTS ${table} (
          policy_id text PRIMARY KEY, scope text NOT NULL, version int NOT NULL, document text NOT NULL, sha256 text NOT NULL,
          published_by text NOT NULL, published_at timestamptz NOT NULL, UNIQUE (scope, version))`);
      },
      async reset(tx: Sql) {
        await tx.query(`TRUNCATE ${table}`);
      },
      async handle(tx: Sql, event) {
        if (event.type !== 'ReviewPolicyPublished') return;
        const d = event.data;
        await tx.query(`INSERT INTO ${table} VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING`, [
          d.policyId, d.scope, d.policyVersion, d.document, d.sha256, d.publishedBy, new Date(event.envelope.occurredAt).toISOString(),
        ]);
      },
    };
  }

  async publish(scope: string, document: string, metadata: CommandMetadata) {
    checkedPolicyScope(scope);
    if (typeof document !== 'string' || document.trim() === '') throw new DomainError('REGISTRY.INVALID_POLICY', 'send the policy as a YAML document', 400);
    const parsed = parsePolicyDocument(document);
    const policy = checkedReviewPolicy(parsed);
    const sha256 = createHash('sha256').update(document).digest('hex');
    const events = await this.runtime.commands.execute({
      streamId: `review-policy:${scope}`, decider: this.decider, links: registryLinks,
      command: { type: 'PublishReviewPolicy', scope, document, sha256, parsed, metadata },
    });
    const latest = (await this.published(scope)).at(-1)!;
    return { scope, policyId: latest.policyId, version: latest.policyVersion, changed: events.length > 0, sha256, policy };
  }

  /** The scope's published documents from its stream (not a read model: a judgement must see the policy just published). */
  private async published(scope: string, tx?: Sql): Promise<ReviewPolicyPublished['data'][]> {
    const history = await this.runtime.store.readStream(`review-policy:${scope}`, { tx });
    return history.map((stored) => (this.runtime.codec.decodeEvent(stored.data) as unknown as ReviewPolicyPublished).data);
  }

  /** The policy in force for a model: its own, else its use case's, else the published default, else the built-in one. */
  async inForce(modelName: string, useCase?: string | null, tx?: Sql): Promise<PolicyInForce> {
    for (const scope of [`model:${modelName}`, ...(useCase ? [`use-case:${useCase}`] : []), 'default']) {
      const latest = (await this.published(scope, tx)).at(-1);
      if (latest) return { policyId: latest.policyId, policy: checkedReviewPolicy(parsePolicyDocument(latest.document)) };
    }
    return BUILT_IN_POLICY;
  }

  /** A policy by the id a judgement recorded (`<scope>@v<N>`). */
  async byId(policyId: string, tx?: Sql): Promise<PolicyInForce> {
    if (policyId === BUILT_IN_POLICY.policyId) return BUILT_IN_POLICY;
    const scope = policyId.replace(/@v\d+$/, '');
    const found = (await this.published(scope, tx)).find((p) => p.policyId === policyId);
    if (!found) throw new DomainError('REGISTRY.POLICY_NOT_FOUND', `no review policy ${JSON.stringify(policyId)}`, 404);
    return { policyId, policy: checkedReviewPolicy(parsePolicyDocument(found.document)) };
  }

  list(scope?: string): Promise<PolicyRow[]> {
    return scope
      ? this.runtime.db.query<PolicyRow>(`SELECT * FROM ${this.table} WHERE scope = $1 ORDER BY version`, [scope])
      : this.runtime.db.query<PolicyRow>(`SELECT * FROM ${this.table} ORDER BY scope, version`);
  }
}
