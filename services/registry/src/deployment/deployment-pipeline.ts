import type { CommandMetadata } from '@mgov/decider';
import type { Sql } from '@mgov/event-store';
import {
  checkedEnvironment, type DeploymentPlan, type DeploymentTarget, deploymentDecider, type DeploymentsState, type Environment, validateModelName,
} from '@mgov/registry-domain';
import type { ServiceRuntime } from '@mgov/service-runtime';
import { logger } from '@mgov/telemetry';
import type { DeploymentRow } from '../application/deployments-read-model';
import { registryLinks } from '../application/links';
import type { ModelVersionRow } from '../application/model-versions-read-model';
import { recordingRefusals } from '../application/refusals';
import type { ModelDeployer } from './deployers';
import { type ManifestRenderer, resourceNameOf } from './manifest-renderer';

const log = logger('registry');

export interface DeploymentTables {
  readonly versions: string;
  readonly candidates: string;
  readonly deployments: string;
  quarantinedVersions(sql: Sql, modelName: string): Promise<Set<number>>;
}

export interface DeploymentRequestInput {
  /** A registered version number; a candidate id is refused as such. */
  readonly version: number | string;
  readonly environment: string;
  readonly reason?: string;
}

const streamOf = (modelName: string) => `deployments:${modelName}`;

/**
 * The model deployment pipeline, separate from application deployment: renders digest-pinned manifests
 * for an approved version and hands them to the deployer; every step is an event on `deployments:<model>`.
 */
export class DeploymentPipeline {
  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly renderer: ManifestRenderer,
    private readonly deployer: ModelDeployer,
    private readonly tables: DeploymentTables,
  ) {}

  private async state(modelName: string, tx?: Sql): Promise<DeploymentsState> {
    const history = await this.runtime.store.readStream(streamOf(modelName), { tx });
    return history.map((s) => this.runtime.codec.decodeEvent(s.data) as never).reduce(deploymentDecider.evolve, deploymentDecider.initialState());
  }

  private async registered(sql: Sql, modelName: string, version: number): Promise<ModelVersionRow | undefined> {
    const [row] = await sql.query<ModelVersionRow>(`SELECT * FROM ${this.tables.versions} WHERE model_name = $1 AND version = $2`, [modelName, version]);
    return row;
  }

  private plan(modelName: string, environment: string, row: ModelVersionRow): DeploymentPlan {
    const deploymentId = this.runtime.newId();
    const manifests = this.renderer.render({ deploymentId, modelName, version: row.version, tag: row.tag, digest: row.digest, environment });
    return { deploymentId, version: row.version, tag: row.tag, digest: row.digest, image: manifests.image, manifestsSha256: manifests.sha256, deployer: this.deployer.kind };
  }

  async request(modelName: string, input: DeploymentRequestInput, metadata: CommandMetadata): Promise<DeploymentRow> {
    const asNumber = typeof input.version === 'number' ? input.version : /^\d+$/.test(String(input.version)) ? Number(input.version) : null;
    return recordingRefusals(this.runtime, 'deploy', { modelName, version: asNumber, candidateId: asNumber === null ? String(input.version) : undefined }, metadata, async () => {
      validateModelName(modelName);
      const environment = checkedEnvironment(input.environment);
      const db = this.runtime.db;
      let target: DeploymentTarget = { kind: 'unknown' };
      let row: ModelVersionRow | undefined;
      if (asNumber !== null) row = await this.registered(db, modelName, asNumber);
      if (row) {
        const quarantined = (await this.tables.quarantinedVersions(db, modelName)).has(row.version);
        target = { kind: 'registered', quarantined, archived: row.archived };
      } else {
        const [candidate] = await db.query<{ candidate_id: string }>(
          `SELECT candidate_id FROM ${this.tables.candidates} WHERE model_name = $1 AND candidate_id = $2`, [modelName, String(input.version)],
        );
        if (candidate) target = { kind: 'candidate', candidateId: candidate.candidate_id };
      }
      // Nothing is rendered for a version that is not registered: the decider refuses it first.
      const plan = row ? this.plan(modelName, environment, row) : this.unrenderedPlan(asNumber ?? 0);
      await this.runtime.commands.execute({
        streamId: streamOf(modelName), decider: deploymentDecider, links: registryLinks,
        command: { type: 'RequestDeployment', modelName, environment, plan, target, reason: input.reason ?? '', metadata },
      });
      await this.rollOut(modelName, environment, plan, metadata);
      return this.deployment(plan.deploymentId);
    });
  }

  private unrenderedPlan(version: number): DeploymentPlan {
    return { deploymentId: this.runtime.newId(), version, tag: '', digest: '', image: '', manifestsSha256: '', deployer: this.deployer.kind };
  }

  /** Hands the rendered manifests to the deployer and records the outcome. */
  private async rollOut(modelName: string, environment: Environment, plan: DeploymentPlan, metadata: CommandMetadata, tx?: Sql): Promise<void> {
    const manifests = this.renderer.render({ deploymentId: plan.deploymentId, modelName, version: plan.version, tag: plan.tag, digest: plan.digest, environment });
    let outcome: { location: string } | { error: string };
    try {
      outcome = await this.deployer.apply({ modelName, version: plan.version, environment, deploymentId: plan.deploymentId }, manifests);
    } catch (error) {
      log.warn({ err: error, modelName, environment, deploymentId: plan.deploymentId }, 'deployer failed');
      outcome = { error: (error as Error).message };
    }
    const command = 'location' in outcome
      ? { type: 'RecordRollout' as const, modelName, deploymentId: plan.deploymentId, location: outcome.location, metadata }
      : { type: 'RecordFailure' as const, modelName, deploymentId: plan.deploymentId, error: outcome.error, metadata };
    await this.runtime.commands.execute({ streamId: streamOf(modelName), decider: deploymentDecider, links: registryLinks, command, tx });
  }

  /**
   * Deployments left `requested` (the process stopped between recording the request and the deployer's
   * answer) are handed to the deployer again; both deployers are idempotent for the same manifests.
   */
  async resumePending(): Promise<number> {
    const pending = await this.runtime.db.query<DeploymentRow>(`SELECT * FROM ${this.tables.deployments} WHERE status = 'requested' ORDER BY requested_at`);
    for (const row of pending) {
      const metadata = { actor: { id: 'registry', role: 'system' }, now: this.runtime.clock.now(), correlationId: this.runtime.newId() };
      const plan: DeploymentPlan = {
        deploymentId: row.deployment_id, version: row.version, tag: row.tag, digest: row.digest, image: row.image, manifestsSha256: row.manifests_sha256, deployer: row.deployer,
      };
      try {
        await this.rollOut(row.model_name, row.environment as Environment, plan, metadata);
      } catch (error) {
        // Another process finished it meanwhile: nothing left to do.
        if ((error as { code?: string }).code !== 'REGISTRY.DEPLOYMENT_NOT_PENDING') throw error;
      }
    }
    return pending.length;
  }

  /**
   * A quarantined version stops serving wherever it serves: each environment rolls back to the newest
   * earlier approved version that is neither quarantined nor archived, or stops serving if there is none.
   */
  async rollBackQuarantined(tx: Sql, modelName: string, version: number, reason: string, metadata: CommandMetadata): Promise<void> {
    const state = await this.state(modelName, tx);
    for (const [environment, deploymentId] of Object.entries(state.serving) as Array<[Environment, string]>) {
      if (state.deployments[deploymentId]?.version !== version) continue;
      const quarantined = await this.tables.quarantinedVersions(tx, modelName);
      const [restoreRow] = await tx.query<ModelVersionRow>(
        `SELECT * FROM ${this.tables.versions} WHERE model_name = $1 AND version < $2 AND NOT archived AND NOT (version = ANY($3)) ORDER BY version DESC LIMIT 1`,
        [modelName, version, [...quarantined]],
      );
      const restore = restoreRow ? this.plan(modelName, environment, restoreRow) : null;
      await this.runtime.commands.execute({
        streamId: streamOf(modelName), decider: deploymentDecider, links: registryLinks, tx,
        command: { type: 'RollBack', modelName, environment, reason: `quarantined: ${reason}`, restore, metadata },
      });
      if (restore) await this.rollOut(modelName, environment, restore, metadata, tx);
      else await this.deployer.stop({ modelName, environment, deploymentId }, resourceNameOf(modelName));
    }
  }

  async deployment(deploymentId: string): Promise<DeploymentRow> {
    for (let attempt = 0; ; attempt++) {
      const [row] = await this.runtime.db.query<DeploymentRow>(`SELECT * FROM ${this.tables.deployments} WHERE deployment_id = $1`, [deploymentId]);
      // The read model follows the log a moment later; the answer waits for it briefly.
      if ((row && row.status !== 'requested') || attempt >= 400) return row ?? ({ deployment_id: deploymentId, status: 'requested' } as DeploymentRow);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  history(filter: { modelName?: string; environment?: string }): Promise<DeploymentRow[]> {
    return this.runtime.db.query<DeploymentRow>(
      `SELECT * FROM ${this.tables.deployments} WHERE ($1::text IS NULL OR model_name = $1) AND ($2::text IS NULL OR environment = $2) ORDER BY requested_at, deployment_id`,
      [filter.modelName ?? null, filter.environment ?? null],
    );
  }

  /** What serves each environment now (from the log, not a read model). */
  async serving(modelName: string, tx?: Sql): Promise<Partial<Record<Environment, { deploymentId: string; version: number }>>> {
    const state = await this.state(modelName, tx);
    return Object.fromEntries(Object.entries(state.serving).map(([env, id]) => [env, { deploymentId: id!, version: state.deployments[id!]!.version }]));
  }
}
