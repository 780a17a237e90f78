import type { Outcome, Prediction } from '@mgov/contracts';
import type { Sql } from '@mgov/event-store';
import { DeadLetterHeaders, type ReceivedMessage, type Subscription, Topics } from '@mgov/messaging';
import {
  addLabelToRing, addToRing, type ClosedWindow, layoutOf, type MonitorEvent, type MonitoringPolicy, monitorDecider, type MonitorState, monitorStreamId,
  newRing, type WindowLayout,
  windowMetrics, type WindowRing,
} from '@mgov/monitoring-domain';
import { envelope, type ServiceRuntime } from '@mgov/service-runtime';
import { activeTraceContext, Attr, contextFrom, inSpan, logger, SpanName } from '@mgov/telemetry';
import type { baselines as baselinesFactory, MonitoredVersion } from './baselines';
import { LabelJoin } from './label-join';
import { monitoringLinks } from './links';
import type { MonitoringGauges } from './monitoring-gauges';
import type { MonitoringPolicies } from './monitoring-policies';

const log = logger('monitoring.pipeline');
export const PIPELINE_GROUP = 'mgov.monitoring.windows';

interface Monitor {
  readonly key: string;
  readonly version: MonitoredVersion;
  readonly layout: WindowLayout;
  readonly policy: MonitoringPolicy;
  readonly ring: WindowRing;
  /** The monitor stream's decider state and version, once read. */
  stream?: { state: MonitorState; version: number };
}

export interface PipelineOptions {
  /** How long after a prediction its outcome is still joined (event time). */
  readonly outcomeHorizonMs: number;
  /** Predictions (and early outcomes) waiting to be joined, at most. */
  readonly maxAwaitingLabels: number;
}

class Undecodable extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/**
 * The hot path: predictions and outcomes in batches, counted into each model version's window ring
 * in memory; per batch, one transaction stores the evaluations, the touched rings and how far each
 * partition was read, so a restart resumes from exactly there and a replayed window decides nothing.
 */
export class MonitoringPipeline {
  private readonly monitors = new Map<string, Monitor | null>();
  private readonly join: LabelJoin;
  private readonly rings: string;
  private readonly offsets: string;
  private subscription: Subscription | undefined;

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly baselines: ReturnType<typeof baselinesFactory>,
    private readonly policies: MonitoringPolicies,
    private readonly gauges: MonitoringGauges,
    options: PipelineOptions,
  ) {
    this.join = new LabelJoin(options.outcomeHorizonMs, options.maxAwaitingLabels);
    this.rings = `${runtime.schema}.window_rings_v1`;
    this.offsets = `${runtime.schema}.pipeline_offsets_v1`;
  }

  async start(): Promise<void> {
    await this.runtime.db.transaction(async (tx) => {
      await tx.query(`CREATE TABLE IF NOT EXISTS ${this.rings} (
        model_name text NOT NULL, version int NOT NULL, policy_version int NOT NULL, ring jsonb NOT NULL, PRIMARY KEY (model_name, version))`);
      await tx.query(`CREATE TABLE IF NOT EXISTS ${this.offsets} (topic text NOT NULL, partition int NOT NULL, next_offset bigint NOT NULL, PRIMARY KEY (topic, partition))`);
    });
    await this.runtime.bus.ensureTopics([Topics.predictions, Topics.outcomes, Topics.dlq]);
    this.subscription = await this.runtime.bus.subscribe({
      groupId: PIPELINE_GROUP,
      topics: [Topics.predictions, Topics.outcomes],
      fromBeginning: true,
      handle: (message) => this.handleBatch([message]),
      handleBatch: (messages) => this.handleBatch(messages),
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.stop();
    this.subscription = undefined;
  }

  /** A model's policy changed: its versions start new rings under it. */
  forget(modelName: string): void {
    for (const key of [...this.monitors.keys()]) if (key.startsWith(`${modelName}\u0000`)) this.monitors.delete(key);
  }

  get awaitingLabels(): number {
    return this.join.size;
  }

  async handleBatch(messages: readonly ReceivedMessage[]): Promise<void> {
    let counted = 0;
    try {
      counted = await this.runtime.db.transaction((tx) => this.countAndStore(tx, messages));
    } catch (error) {
      log.warn({ err: error, messages: messages.length }, 'batch not stored; it will be delivered again');
      // The rings were counted in memory before the transaction failed: reload them from the last commit.
      this.monitors.clear();
      throw error;
    }
    this.gauges.consumed(counted, this.join.size);
  }

  /**
   * One pass: each message is decoded and counted at once (no batch of decoded objects is kept, so
   * they die young), windows it closes are evaluated, and the batch ends with the touched rings, the
   * read positions and the dead letters — all before the transaction commits.
   */
  private async countAndStore(tx: Sql, messages: readonly ReceivedMessage[]): Promise<number> {
    const resumeAt = await this.resumePoints(tx, messages);
    const touched = new Set<Monitor>();
    const lowest = new Map<string, bigint>();
    const highest = new Map<string, ReceivedMessage>();
    for (const m of messages) {
      const key = `${m.topic}\u0000${m.partition}`;
      const offset = BigInt(m.offset);
      const low = lowest.get(key);
      if (low === undefined || offset < low) lowest.set(key, offset);
      const high = highest.get(key);
      if (high === undefined || offset > BigInt(high.offset)) highest.set(key, m);
    }
    // Usually nothing in a batch was stored before; only a redelivered batch needs the check per message.
    const replayed = [...lowest].some(([key, first]) => first < (resumeAt.get(key) ?? -1n));
    const dead: Array<{ message: ReceivedMessage; reason: string; code: string }> = [];
    let counted = 0;
    let unmonitored = 0;
    for (const message of messages) {
      if (replayed && BigInt(message.offset) < (resumeAt.get(`${message.topic}\u0000${message.partition}`) ?? -1n)) continue;
      let decoded: { prediction?: Prediction; outcome?: Outcome };
      try {
        decoded = this.decode(message);
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'UNDECODABLE';
        dead.push({ message, code, reason: `${code}: ${(error as Error).message}` });
        continue;
      }
      counted += 1;
      if (decoded.outcome) {
        this.onOutcome(decoded.outcome, touched);
        continue;
      }
      const prediction = decoded.prediction!;
      let monitor = this.monitors.get(`${prediction.modelName}\u0000${prediction.modelVersion}`);
      if (monitor === undefined) monitor = await this.monitorOf(tx, prediction.modelName, prediction.modelVersion);
      if (monitor === null) {
        unmonitored += 1;
        continue;
      }
      const closed = this.onPrediction(monitor, prediction, touched);
      if (closed.length > 0) await this.evaluateClosed(tx, monitor, closed, prediction, message);
    }
    if (unmonitored > 0) this.gauges.unmonitored(unmonitored);
    if (touched.size > 0) {
      const monitors = [...touched];
      await tx.query(
        `INSERT INTO ${this.rings} SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::jsonb[])
         ON CONFLICT (model_name, version) DO UPDATE SET policy_version = EXCLUDED.policy_version, ring = EXCLUDED.ring`,
        [monitors.map((m) => m.version.modelName), monitors.map((m) => m.version.version), monitors.map((m) => m.policy.version), monitors.map((m) => JSON.stringify(m.ring))],
      );
    }
    for (const message of highest.values()) {
      await tx.query(
        `INSERT INTO ${this.offsets} VALUES ($1, $2, $3) ON CONFLICT (topic, partition) DO UPDATE SET next_offset = GREATEST(${this.offsets}.next_offset, EXCLUDED.next_offset)`,
        [message.topic, message.partition, (BigInt(message.offset) + 1n).toString()],
      );
    }
    if (dead.length > 0) {
      // Before the commit: if it fails, the batch comes again and so do its dead letters (at least once).
      await this.runtime.bus.publish(Topics.dlq, dead.map(({ message: m, reason, code }) => ({
        key: m.key, value: m.value,
        headers: {
          ...m.headers, [DeadLetterHeaders.reason]: reason, [DeadLetterHeaders.code]: code,
          [DeadLetterHeaders.sourceTopic]: m.topic, [DeadLetterHeaders.sourcePartition]: String(m.partition),
          [DeadLetterHeaders.sourceOffset]: m.offset, [DeadLetterHeaders.sourceGroup]: PIPELINE_GROUP,
        },
      })));
      this.gauges.deadLettered(dead.length);
    }
    return counted;
  }

  private decode(message: ReceivedMessage): { prediction?: Prediction; outcome?: Outcome } {
    let decoded: { name: string; value: unknown };
    try {
      decoded = this.runtime.codec.decode(message.value);
    } catch (error) {
      throw new Undecodable((error as { code?: string }).code ?? 'CONTRACTS.UNDECODABLE', (error as Error).message);
    }
    const expected = message.topic === Topics.outcomes ? 'Outcome' : 'Prediction';
    if (decoded.name !== expected) throw new Undecodable('MONITORING.WRONG_RECORD', `${message.topic} carries ${expected} records, got ${decoded.name}`);
    if (expected === 'Outcome') {
      const outcome = decoded.value as Outcome;
      if (outcome.predictionId === '') throw new Undecodable('MONITORING.INVALID_OUTCOME', 'predictionId is empty');
      return { outcome };
    }
    const prediction = decoded.value as Prediction;
    if (prediction.predictionId === '' || prediction.modelName === '') throw new Undecodable('MONITORING.INVALID_PREDICTION', 'predictionId and modelName must not be empty');
    return { prediction };
  }

  private async resumePoints(tx: Sql, messages: readonly ReceivedMessage[]): Promise<Map<string, bigint>> {
    const topics = [...new Set(messages.map((m) => m.topic))];
    const rows = await tx.query<{ topic: string; partition: number; next_offset: string }>(
      `SELECT topic, partition, next_offset FROM ${this.offsets} WHERE topic = ANY($1)`, [topics],
    );
    return new Map(rows.map((r) => [`${r.topic}\u0000${r.partition}`, BigInt(r.next_offset)]));
  }

  private async monitorOf(tx: Sql, modelName: string, version: number): Promise<Monitor | null> {
    const key = `${modelName}\u0000${version}`;
    const cached = this.monitors.get(key);
    if (cached !== undefined) return cached;
    const known = await this.baselines.find(tx, modelName, version);
    if (!known || known.baseline.length === 0) {
      // Not registered (or its training profile not seen) yet: look again after a while, not per event.
      log.debug({ modelName, version }, 'predictions for a model version monitoring does not know (yet); not windowed');
      this.monitors.set(key, null);
      setTimeout(() => this.monitors.get(key) === null && this.monitors.delete(key), 1000).unref();
      return null;
    }
    const policy = await this.policies.current(tx, modelName);
    const layout = layoutOf(known.baseline);
    const [stored] = await tx.query<{ policy_version: number; ring: WindowRing }>(
      `SELECT policy_version, ring FROM ${this.rings} WHERE model_name = $1 AND version = $2`, [modelName, version],
    );
    const ring = stored && stored.policy_version === policy.version ? stored.ring : newRing(layout, policy);
    const monitor: Monitor = { key, version: known, layout, policy, ring };
    this.monitors.set(key, monitor);
    return monitor;
  }

  private onPrediction(monitor: Monitor, prediction: Prediction, touched: Set<Monitor>): ClosedWindow[] {
    touched.add(monitor);
    const positive = monitor.policy.performance.positiveClass;
    const closed = addToRing(monitor.ring, monitor.layout, prediction, positive);
    if (prediction.groundTruth === null) {
      // Only what a label needs is kept while it may arrive, not the features.
      const early = this.join.prediction(prediction.predictionId, {
        predictedClass: prediction.predictedClass, score: prediction.score, protectedAttributes: prediction.protectedAttributes,
        monitorKey: monitor.key, eventTime: prediction.eventTime,
      });
      if (early !== null) addLabelToRing(monitor.ring, monitor.layout, prediction, early, positive);
    }
    return closed;
  }

  private async evaluateClosed(tx: Sql, monitor: Monitor, closed: readonly ClosedWindow[], prediction: Prediction, message: ReceivedMessage): Promise<void> {
    // The window's events continue the trace of the prediction that closed it (one governance flow, one trace).
    const parent = contextFrom({ traceparent: message.headers.traceparent, tracestate: message.headers.tracestate });
    const attributes = { [Attr.service]: 'monitoring', [Attr.topic]: message.topic, [Attr.messagingSystem]: 'kafka' };
    await inSpan(SpanName.consume(message.topic), attributes, async () => {
      for (const window of closed) await this.evaluate(tx, monitor, window, prediction.predictionId);
    }, parent);
  }

  private onOutcome(outcome: Outcome, touched: Set<Monitor>): void {
    const target = this.join.outcome(outcome.predictionId, outcome.groundTruth, outcome.eventTime);
    if (target === null) return;
    const monitor = this.monitors.get(target.monitorKey);
    if (!monitor) return;
    addLabelToRing(monitor.ring, monitor.layout, target, outcome.groundTruth, monitor.policy.performance.positiveClass);
    touched.add(monitor);
  }

  private async evaluate(tx: Sql, monitor: Monitor, window: ClosedWindow, causationId: string): Promise<void> {
    const { modelName, version, digest, baseline, metrics: runMetrics } = monitor.version;
    const streamId = monitorStreamId(modelName, version);
    const metrics = windowMetrics(baseline, runMetrics, monitor.policy, window.counts);
    // The monitor's decider state is kept with its ring (read once), not re-read and re-folded per window:
    // the stream grows by a window each time. A concurrent writer makes the append fail, and the batch is redone.
    monitor.stream ??= await this.loadStream(tx, streamId);
    const metadata = { actor: { id: 'monitoring', role: 'service' }, now: this.runtime.clock.now(), correlationId: streamId, causationId };
    const decided = monitorDecider.decide({
      type: 'EvaluateWindow', modelName, modelVersion: version, digest, window: window.descriptor, metrics, policy: monitor.policy, metadata,
    }, monitor.stream.state);
    if (decided.length === 0) return;
    const events = envelope(decided, {
      streamId, fromVersion: monitor.stream.version, metadata, newId: this.runtime.newId, trace: activeTraceContext(),
      links: monitoringLinks as Parameters<typeof envelope>[1]['links'],
    });
    const rows = events.map((event) => ({ eventId: event.envelope.eventId, type: event.type, data: this.runtime.codec.encodeEvent(event) }));
    await this.runtime.store.append(streamId, monitor.stream.version, rows, tx);
    monitor.stream = { state: decided.reduce(monitorDecider.evolve, monitor.stream.state), version: monitor.stream.version + decided.length };
    this.gauges.evaluated(modelName, version, metrics, decided.length - 1);
  }

  private async loadStream(tx: Sql, streamId: string): Promise<{ state: MonitorState; version: number }> {
    const history = await this.runtime.store.readStream(streamId, { tx });
    const state = history.map((stored) => this.runtime.codec.decodeEvent(stored.data) as unknown as MonitorEvent).reduce(monitorDecider.evolve, monitorDecider.initialState());
    return { state, version: history.length };
  }

}
