import type { Outcome, Prediction } from '@mgov/contracts';
import type { NewEvent, Sql } from '@mgov/event-store';
import { batchOf, DeadLetterHeaders, type ReceivedBatch, type ReceivedMessage, type Subscription, type TakenBatch, Topics, untilStored } from '@mgov/messaging';
import {
  addLabelToRing as addLabelToRingExport, addToRing as addToRingExport, closeUntil, type ClosedWindow, layoutOf, type MonitorEvent, type MonitoringPolicy, monitorDecider, type MonitorState,
  monitorStreamId, newRing, type Observation, observe, ringInCurrentShape, Watermark, type WindowLayout, windowMetrics, type WindowRing,
} from '@mgov/monitoring-domain';
import { envelope, lowerHelperThreads, type ServiceRuntime } from '@mgov/service-runtime';
import { activeTraceContext, Attr, contextFrom, inSpan, logger, SpanName } from '@mgov/telemetry';
import { type baselines as baselinesFactory, type MonitoredVersion, versionKey } from './baselines';
import { type IdKey, idKeyOf, idKeyOfBytes, LabelJoin, type Waiting } from './label-join';
import { restoreLabelJoin, saveLabelJoin } from './label-join-snapshot';
import { monitoringLinks } from './links';
import { partitionKey, pipelineTables, type PipelineTables, readUpTo, type ReadUpTo, type StreamPosition } from './pipeline-tables';
import { type LayoutKeys, type PredictionHeader, PredictionReader, SharedLayoutKeys, Undecodable } from './prediction-reader';
import type { MonitoringGauges } from './monitoring-gauges';
import type { MonitoringPolicies } from './monitoring-policies';

// Called per prediction, read once: compiled to CommonJS, a call of an import reads it from the
// domain's index through two getters (1% of the main thread in bench:monitoring; see prediction-reader).
const addToRing = addToRingExport;
const addLabelToRing = addLabelToRingExport;

const log = logger('monitoring.pipeline');
export const PIPELINE_GROUP = 'mgov.monitoring.windows';
/** Monitor streams appended to per statement (five parameters each, far below PostgreSQL's limit). */
const APPENDS_PER_STATEMENT = 500;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const PREDICTIONS = Topics.predictions;
const OUTCOMES = Topics.outcomes;

/** The monitors a batch counted into, each once (a flag per monitor: cheaper than a Set on every event). */
class Touched {
  private static batches = 0;
  private readonly batch = (Touched.batches += 1);
  readonly monitors: Monitor[] = [];

  add(monitor: Monitor): void {
    if (monitor.touchedIn === this.batch) return;
    monitor.touchedIn = this.batch;
    this.monitors.push(monitor);
  }
}

/** A window a batch closed, with the message that closed it (its trace, its id as the cause), if one did. */
interface ClosedIn {
  readonly monitor: Monitor;
  readonly window: ClosedWindow;
  readonly causationId: string;
  readonly message?: ReceivedMessage;
}

type DeadLetter = { readonly message: ReceivedMessage; readonly reason: string; readonly code: string };

/** A batch being counted: what it has counted so far, across the pauses to look up a model version. */
interface BatchProgress {
  readonly parts: ReceivedBatch['parts'];
  /** Per part: where its partition was stored up to, when the part was (partly) stored before; null usually. */
  readonly resumeAt: ReadonlyArray<bigint | null>;
  readonly dead: DeadLetter[];
  readonly touched: Touched;
  readonly windows: ClosedIn[];
  counted: number;
  unmonitored: number;
}

/**
 * A batch counted in memory, and what its transaction is to store: the windows it closed, its
 * rings as they were when it was counted (the next batch counts on meanwhile), how far it read.
 */
interface CountedBatch {
  readonly windows: readonly ClosedIn[];
  readonly rings: readonly RingAsCounted[];
  readonly readUpTo: readonly ReadUpTo[];
  readonly dead: readonly DeadLetter[];
  /** The label join as of this batch, when a checkpoint is due. */
  readonly join: Buffer | null;
  readonly counted: number;
}

/** A touched ring, serialized at the end of the batch that counted into it. */
interface RingAsCounted {
  readonly monitor: Monitor;
  readonly json: string;
}

const WATERMARK_TICK_MS = 1_000;
/** Model versions a batch's counting looks up together when it meets one it has not (each a few queries, run side by side). */
const LOOKUPS_AT_ONCE = 256;
/**
 * Messages counted before counting lets other work run: the transactions of the batches before
 * (storing behind counting) need a turn of this thread for each of their round trips, and a batch
 * counted at one go held each of them up by its whole count.
 */
const COUNT_SLICE = 2_048;
/** After what is ready to run (replies from PostgreSQL), not before: a promise would resume at once. */
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));
const DEFAULT_LATENESS_MS = 10_000;
const DEFAULT_FUTURE_SKEW_MS = 5 * 60_000;
const DEFAULT_JOIN_CHECKPOINT_MS = 60_000;

interface Monitor {
  readonly key: string;
  readonly version: MonitoredVersion;
  readonly layout: WindowLayout;
  readonly policy: MonitoringPolicy;
  readonly ring: WindowRing;
  readonly keys: LayoutKeys;
  /** This version's index in the label join. */
  readonly joinModel: number;
  /** Scratch for the prediction being counted (one at a time), shared by the versions of its keys (`LayoutKeys.observation`). */
  readonly observation: Observation;
  /** The last batch that counted into this monitor. */
  touchedIn?: number;
  /** The monitor stream's decider state and version, once read. */
  stream?: StreamPosition;
}

export interface PipelineOptions {
  /** How long after a prediction its outcome is still joined (event time). */
  readonly outcomeHorizonMs: number;
  /** Predictions (and early outcomes) waiting to be joined, at most. */
  readonly maxAwaitingLabels: number;
  /** How far behind the newest event time a prediction may still arrive before its time window closes. */
  readonly allowedLatenessMs?: number;
  /** Event times further ahead of the clock than this do not move the watermark (a producer's wrong clock). */
  readonly maxFutureSkewMs?: number;
  /** How often the label join is saved with a batch's commit (0: with every batch); a graceful stop saves it too. */
  readonly joinCheckpointMs?: number;
  /**
   * Fetch on a thread of its own (the bus's `fetchThread`; default on): kafkajs fetches and decodes
   * while this thread counts, reading values in place in the batch handed over. Measured on 2 cores
   * (bench:monitoring, with --single-threaded-gc as deployed), back to back against the previous
   * version without it: 143–149k against 141–149k events/s (other runs 156–171k), at ~1 µs more CPU
   * per event and ~50 MB more RSS. A small gain on 2 cores; on more, the overlap should pay more.
   */
  readonly fetchThread?: boolean;
  /**
   * Counting on this thread is the pipeline's bottleneck: every other thread of the process (the
   * fetch thread, V8's compiler threads, libuv's pool) is lowered by this much (Linux nice, 1-19)
   * once subscribed, so that when cores are short this one runs first. For a process of its own
   * (the standalone service); off by default, as it lowers the threads of whatever shares the
   * process. bench:monitoring-ab on 2 cores, 5 rounds, nice 10 against none: 331k events/s against
   * 307k (medians; ahead in every round), the main thread's wait for a core 0.25 µs per event against 0.34.
   */
  readonly helperThreadsNice?: number;
}

/**
 * The hot path: predictions and outcomes in batches, counted into each model version's window ring
 * in memory; per batch, one transaction stores the evaluations, the touched rings and how far each
 * partition was read, so a restart resumes from exactly there and a replayed window decides nothing.
 * A batch's transaction runs while the next batch is counted; if it fails, memory goes back to the
 * last commit and every batch from the failed one on comes again.
 */
export class MonitoringPipeline {
  /** By model name, then version; null while a version is not (yet) known to monitoring. */
  private readonly monitors = new Map<string, Map<number, Monitor | null>>();
  private readonly reader: PredictionReader;
  private readonly keys = new SharedLayoutKeys();
  /** Scratch for the message in hand (one at a time). */
  private readonly idKey: IdKey = { a: 0, b: 0 };
  /** What waits in the label join for a prediction; its doubles start as doubles (NaN), so their fields are updated in place, not boxed per prediction. */
  private readonly waiting: Mutable<Waiting> = { model: 0, eventTime: Number.NaN, predictedClass: null, score: Number.NaN, protectedAttributes: {} };
  private join: LabelJoin;
  private readonly options: PipelineOptions;
  private readonly tables: PipelineTables;
  private subscription: Subscription | undefined;
  private readonly watermark: Watermark;
  private ticker: NodeJS.Timeout | undefined;
  /** Whether a monitor may start from the stream position stored with its ring (until a conflict says otherwise). */
  private streamPositionsFromRings = true;
  /** Batches and watermark ticks are counted one at a time. */
  private running: Promise<unknown> = Promise.resolve();
  /**
   * Their transactions run one at a time too, in the same order, behind the counting: a batch is
   * stored while the next is counted, so its round trips to PostgreSQL do not hold counting up.
   * This is the last one's settlement.
   */
  private stores: Promise<void> = Promise.resolve();
  /** A transaction failed: those queued after it are refused (their batches come again after its). */
  private storeFailed = false;
  /** Memory holds counts that may never be stored (a failure): it is reset before anything is counted on. */
  private mustReset = false;
  /** When the label join was last saved with a batch (clock time). */
  private joinSavedAt: number;

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly baselines: ReturnType<typeof baselinesFactory>,
    private readonly policies: MonitoringPolicies,
    private readonly gauges: MonitoringGauges,
    options: PipelineOptions,
  ) {
    this.options = options;
    this.join = new LabelJoin(options.outcomeHorizonMs, options.maxAwaitingLabels);
    this.reader = new PredictionReader(runtime.codec.writerFingerprint('Prediction', 1), runtime.codec.writerFingerprint('Outcome', 1));
    this.tables = pipelineTables(runtime.schema);
    this.watermark = new Watermark(options.allowedLatenessMs ?? DEFAULT_LATENESS_MS, options.maxFutureSkewMs ?? DEFAULT_FUTURE_SKEW_MS);
    this.joinSavedAt = runtime.clock.now();
  }

  async start(): Promise<void> {
    await this.runtime.db.transaction(async (tx) => {
      await this.tables.setup(tx);
      await this.restoreJoin(tx);
    });
    await this.runtime.bus.ensureTopics([Topics.predictions, Topics.outcomes, Topics.dlq]);
    this.subscription = await this.runtime.bus.subscribe({
      groupId: PIPELINE_GROUP,
      topics: [Topics.predictions, Topics.outcomes],
      fromBeginning: true,
      handle: (message) => this.handleBatch(batchOf([message])).then(untilStored),
      handleBatch: (batch) => this.handleBatch(batch),
      fetchThread: this.options.fetchThread ?? true,
      ...(this.options.helperThreadsNice ? { fetchThreadNice: this.options.helperThreadsNice } : {}),
    });
    if (this.options.helperThreadsNice) {
      const lowered = lowerHelperThreads(this.options.helperThreadsNice);
      log.info({ nice: this.options.helperThreadsNice, threads: lowered }, 'the process\'s other threads yield to the pipeline\'s');
    }
    this.ticker = setInterval(() => void this.serially(() => this.closeQuietWindows()).catch((error: unknown) => {
      log.warn({ err: error }, 'closing time windows by the clock failed; the next tick tries again');
    }), WATERMARK_TICK_MS);
    this.ticker.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.ticker);
    if (!this.subscription) return;
    await this.subscription.stop();
    this.subscription = undefined;
    // A watermark tick may be running, and transactions queued: the join is saved after them, as stored.
    await this.running;
    await this.stores;
    await this.recover();
    await this.saveJoin();
  }

  /**
   * The predictions waiting for a label, saved with the read positions they belong to: a graceful
   * stop loses none. Batches save it too, every `joinCheckpointMs`, so after a crash the join of
   * the last save comes back (see restoreJoin).
   */
  private async saveJoin(): Promise<void> {
    await this.runtime.db.transaction((tx) => this.tables.saveJoin(tx, saveLabelJoin(this.join)))
      .then(() => log.info({ waiting: this.join.size }, 'label join saved'))
      .catch((error: unknown) => log.warn({ err: error }, 'the label join was not saved; outcomes of waiting predictions will not be joined after the restart'));
  }

  /**
   * The saved join, if any. Saved at the read positions of the last commit (a graceful stop, or a
   * checkpoint as the last batch), it is exactly what was waiting. Older (a crash after batches
   * that did not save it) it still holds every prediction waiting then: their outcomes are joined;
   * predictions read after it wait for nothing, so their labels are lost; entries whose outcome was
   * joined since wait until they expire (their outcome is not read again, so nothing counts twice).
   */
  private async restoreJoin(tx: Sql): Promise<void> {
    const saved = await this.tables.savedJoin(tx);
    if (saved === undefined) return;
    this.join = restoreLabelJoin(saved.snapshot, this.options.outcomeHorizonMs, this.options.maxAwaitingLabels);
    if (saved.current) log.info({ waiting: this.join.size }, 'label join restored');
    else log.warn({ waiting: this.join.size }, 'label join restored from its last save, older than the last stored batch (the service did not stop cleanly): labels of predictions read since are lost');
  }

  /** A model's policy changed: its versions start new rings under it. */
  forget(modelName: string): void {
    this.monitors.delete(modelName);
  }

  get awaitingLabels(): number {
    return this.join.size;
  }

  /**
   * Counts the batch into memory and returns it taken: its transaction (windows evaluated, rings,
   * read positions, dead letters) is queued behind the ones before, and the subscription hands over
   * the next batch meanwhile. Until stored, what the batch did to the label join can be undone.
   */
  handleBatch(batch: ReceivedBatch): Promise<TakenBatch> {
    return this.serially(async () => {
      const started = performance.now();
      await this.recover();
      this.join.begin();
      let counted: CountedBatch;
      try {
        counted = await this.count(batch);
      } catch (error) {
        // Half counted: memory is reset (once the batches before it are stored) before the batch comes again.
        this.mustReset = true;
        throw error;
      }
      const stored = this.store((tx) => this.storeCounted(tx, counted), batch.size, () => {
        this.join.commit();
        this.gauges.consumed(counted.counted, this.join, (performance.now() - started) / 1000, this.watermark.newestEventTime, this.runtime.clock.now());
      });
      return { stored };
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.running.then(work);
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Queues a transaction behind the others; `onStored` runs once it committed, before the next begins. */
  private store(work: (tx: Sql) => Promise<void>, messages: number, onStored: () => void = () => undefined): Promise<void> {
    const stored = this.stores.then(async () => {
      if (this.storeFailed) throw new Error('not stored: the transaction of a batch before it failed, and that batch comes again first');
      try {
        await this.runtime.db.transaction(work);
      } catch (error) {
        log.warn({ err: error, messages }, 'batch not stored; it will be delivered again, with the batches counted after it');
        this.storeFailed = true;
        this.mustReset = true;
        // Another writer moved a monitor stream: the positions stored with the rings cannot be trusted, read the streams.
        if ((error as { code?: string }).code === 'EVENT_STORE.CONCURRENCY_CONFLICT') this.streamPositionsFromRings = false;
        throw error;
      }
      onStored();
    });
    this.stores = stored.catch(() => undefined);
    return stored;
  }

  /**
   * After a failure: once nothing is being stored, memory goes back to what is stored — the rings
   * are reloaded from the last commit, and the label join is rolled back over every batch not stored.
   */
  private async recover(): Promise<void> {
    if (!this.mustReset) return;
    await this.stores;
    this.monitors.clear();
    if (!this.join.rollback()) {
      log.warn({ capacity: this.options.maxAwaitingLabels }, 'the batches not stored held more predictions than the label join: their changes to the join stay (some of their predictions may wait twice)');
    }
    this.storeFailed = false;
    this.mustReset = false;
  }

  /** Time windows the watermark has passed, of every monitor (a model without traffic too). */
  private closeByTime(windows: ClosedIn[], touched: Touched): void {
    const watermark = this.watermark.at(this.runtime.clock.now());
    if (!Number.isFinite(watermark)) return;
    for (const versions of this.monitors.values()) {
      for (const monitor of versions.values()) {
        if (monitor === null || monitor.ring.unit !== 'ms') continue;
        const closed = closeUntil(monitor.ring, monitor.layout, watermark);
        if (closed.length === 0) continue;
        touched.add(monitor);
        for (const window of closed) windows.push({ monitor, window, causationId: 'watermark' });
      }
    }
  }

  /** Between batches: closes what the clock has passed, in a transaction of its own (with the rings it changed). */
  private async closeQuietWindows(): Promise<void> {
    await this.recover();
    const windows: ClosedIn[] = [];
    const touched = new Touched();
    this.closeByTime(windows, touched);
    if (windows.length === 0) return;
    const rings = asCounted(touched.monitors);
    // Not awaited: batches count on while it is stored. A failure is handled as a batch's (see store).
    this.store(async (tx) => {
      await this.evaluate(tx, windows);
      await this.storeRings(tx, rings);
    }, 0).catch(() => undefined);
  }

  /**
   * One pass: each message is read in place and counted at once (no decoded object is made, not
   * even a message object); what the batch closed and touched is kept for its transaction.
   */
  private async count(received: ReceivedBatch): Promise<CountedBatch> {
    const { parts } = received;
    const resumeAt = await this.tables.resumePoints(this.runtime.db, [...new Set(parts.map((part) => part.topic))]);
    // Usually nothing in a batch was stored before; only a part of a redelivered batch needs the check per message.
    const stored = parts.map((part) => {
      const next = resumeAt.get(partitionKey(part));
      return next !== undefined && part.offset(0) < next ? next : null;
    });
    const batch: BatchProgress = { parts, resumeAt: stored, dead: [], touched: new Touched(), windows: [], counted: 0, unmonitored: 0 };
    // Counting is synchronous (an await in the loop would make every message pay for a suspendable frame);
    // it stops at a model version not looked up yet, which is looked up before counting goes on from there,
    // and every COUNT_SLICE messages, to let the batches before it be stored meanwhile.
    for (let next = this.countFrom(batch, 0, 0); next !== null; next = this.countFrom(batch, next.part, next.at)) {
      if (next.modelName === null) {
        await yieldToIo();
        continue;
      }
      // A ring is read as the last transaction stored it: none may be under way.
      await this.stores;
      // With the other versions the rest of the batch names: a batch after a start names them all, and
      // one lookup after another took 1.06 s of a 4.7 s bench:monitoring run (together 0.07 s).
      const versions = this.versionsToLookUp(parts, next.part, next.at, next.modelName, next.version);
      await this.monitorsOf(this.runtime.db, versions);
    }
    if (batch.unmonitored > 0) this.gauges.unmonitored(batch.unmonitored);
    const now = this.runtime.clock.now();
    const checkpoint = now - this.joinSavedAt >= (this.options.joinCheckpointMs ?? DEFAULT_JOIN_CHECKPOINT_MS);
    if (checkpoint) this.joinSavedAt = now;
    return {
      windows: batch.windows, rings: asCounted(batch.touched.monitors), readUpTo: readUpTo(parts), dead: batch.dead,
      join: checkpoint ? saveLabelJoin(this.join) : null, counted: batch.counted,
    };
  }

  /** A counted batch's transaction: windows evaluated, then rings, read positions, the join if due, and dead letters — all before the commit. */
  private async storeCounted(tx: Sql, counted: CountedBatch): Promise<void> {
    await this.evaluate(tx, counted.windows);
    await this.storeRings(tx, counted.rings);
    await this.tables.storeOffsets(tx, counted.readUpTo);
    // Saved with the same commit as the read positions it belongs to.
    if (counted.join !== null) await this.tables.saveJoin(tx, counted.join);
    const dead = counted.dead;
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
  }

  /**
   * Counts the batch from message `from` of part `fromPart` on; stops before a message of a model
   * version not looked up yet (nothing of that message counted) and says which, or after
   * COUNT_SLICE messages (modelName null), or returns null at the end of the batch.
   */
  private countFrom(batch: BatchProgress, fromPart: number, from: number): { part: number; at: number; modelName: string | null; version: number } | null {
    let slice = COUNT_SLICE;
    const { parts, dead, touched, windows } = batch;
    // The clock for the watermark's skew check, read once per pass (a batch takes well under a second).
    const now = this.runtime.clock.now();
    for (let p = fromPart; p < parts.length; p += 1) {
      const part = parts[p]!;
      const storedUpTo = batch.resumeAt[p] ?? null;
      const predictions = part.topic === PREDICTIONS;
      const outcomes = part.topic === OUTCOMES;
      for (let m = p === fromPart ? from : 0; m < part.count; m += 1) {
        if ((slice -= 1) < 0) return { part: p, at: m, modelName: null, version: 0 };
        if (storedUpTo !== null && part.offset(m) < storedUpTo) continue;
        const bytes = part.valueBytes(m);
        const start = part.valueStart(m);
        const end = part.valueEnd(m);
        let monitor: Monitor | null | undefined;
        let header: PredictionHeader | null = null;
        let prediction: Prediction | null = null;
        try {
          if (predictions && this.reader.accepts(bytes, start, end)) {
            // The hot path: straight from the bytes, where they lie, into the monitor's observation.
            header = this.reader.header(bytes, start, end);
            monitor = this.monitorIfKnown(header.modelName, header.modelVersion);
            if (monitor === undefined) return { part: p, at: m, modelName: header.modelName, version: header.modelVersion };
            this.reader.features(bytes, header, monitor?.keys ?? null, monitor?.observation ?? null);
            idKeyOfBytes(bytes, header.idStart, header.idEnd, this.idKey);
            this.watermark.saw(header.eventTime, now);
          } else if (outcomes && this.reader.acceptsOutcome(bytes, start, end)) {
            const outcome = this.reader.outcome(bytes, start, end);
            this.onOutcome(idKeyOfBytes(bytes, outcome.idStart, outcome.idEnd, this.idKey), outcome.groundTruth, outcome.eventTime, touched);
            batch.counted += 1;
            continue;
          } else {
            const decoded = this.decode(part.message(m));
            if (decoded.outcome) {
              batch.counted += 1;
              this.onOutcome(idKeyOf(decoded.outcome.predictionId, this.idKey), decoded.outcome.groundTruth, decoded.outcome.eventTime, touched);
              continue;
            }
            prediction = decoded.prediction!;
            monitor = this.monitorIfKnown(prediction.modelName, prediction.modelVersion);
            if (monitor === undefined) return { part: p, at: m, modelName: prediction.modelName, version: prediction.modelVersion };
            if (monitor) observe(monitor.layout, prediction, monitor.observation);
            idKeyOf(prediction.predictionId, this.idKey);
            this.watermark.saw(prediction.eventTime, now);
          }
        } catch (error) {
          const code = (error as { code?: string }).code ?? 'UNDECODABLE';
          dead.push({ message: part.message(m), code, reason: `${code}: ${(error as Error).message}` });
          continue;
        }
        batch.counted += 1;
        if (monitor === null) {
          batch.unmonitored += 1;
          continue;
        }
        const closed = this.onPrediction(monitor, this.idKey, touched);
        if (closed.length === 0) continue;
        const message = part.message(m);
        const causationId = prediction?.predictionId ?? this.reader.predictionId(bytes, header!);
        for (let w = 0; w < closed.length; w += 1) windows.push({ monitor, window: closed[w]!, causationId, message });
      }
    }
    return null;
  }

  /**
   * The model versions not looked up yet that predictions name from message `from` of part
   * `fromPart` on (read as far as their headers; the first one given), at most LOOKUPS_AT_ONCE.
   */
  private versionsToLookUp(parts: ReceivedBatch['parts'], fromPart: number, from: number, modelName: string, version: number): Array<readonly [string, number]> {
    const found = new Map<string, readonly [string, number]>([[versionKey(modelName, version), [modelName, version]]]);
    for (let p = fromPart; p < parts.length && found.size < LOOKUPS_AT_ONCE; p += 1) {
      const part = parts[p]!;
      if (part.topic !== PREDICTIONS) continue;
      for (let m = p === fromPart ? from : 0; m < part.count && found.size < LOOKUPS_AT_ONCE; m += 1) {
        const bytes = part.valueBytes(m);
        const start = part.valueStart(m);
        const end = part.valueEnd(m);
        if (!this.reader.accepts(bytes, start, end)) continue;
        let header: PredictionHeader;
        try {
          header = this.reader.header(bytes, start, end);
        } catch {
          // Malformed: counting dead-letters it when it gets there.
          continue;
        }
        if (this.monitorIfKnown(header.modelName, header.modelVersion) !== undefined) continue;
        const key = versionKey(header.modelName, header.modelVersion);
        if (!found.has(key)) found.set(key, [header.modelName, header.modelVersion]);
      }
    }
    return [...found.values()];
  }

  /** The rings as counted, each with its monitor stream's position as the windows evaluated before it left it. */
  private storeRings(tx: Sql, rings: readonly RingAsCounted[]): Promise<void> {
    return this.tables.storeRings(tx, rings.map(({ monitor: m, json }) => ({
      modelName: m.version.modelName, version: m.version.version, policyVersion: m.policy.version, ringJson: json, stream: m.stream ?? null,
    })));
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

  /** The monitor, null for a version known not to be monitored, undefined when not looked up yet. */
  private monitorIfKnown(modelName: string, version: number): Monitor | null | undefined {
    return this.monitors.get(modelName)?.get(version);
  }

  private remember(modelName: string, version: number, monitor: Monitor | null): void {
    let versions = this.monitors.get(modelName);
    if (versions === undefined) this.monitors.set(modelName, (versions = new Map()));
    versions.set(version, monitor);
  }

  /** Looks up model versions not known yet, in a few round trips for all of them: each becomes a monitor, or null (not monitored, for now). */
  private async monitorsOf(tx: Sql, wanted: ReadonlyArray<readonly [string, number]>): Promise<void> {
    const versions = wanted.filter(([modelName, version]) => this.monitorIfKnown(modelName, version) === undefined);
    if (versions.length === 0) return;
    const known = await this.baselines.findMany(tx, versions);
    const monitored = versions.filter(([modelName, version]) => (known.get(versionKey(modelName, version))?.baseline.length ?? 0) > 0);
    const [policies, stored] = monitored.length === 0 ? [new Map(), new Map()] as const
      : [await this.policies.currentOf(tx, [...new Set(monitored.map(([modelName]) => modelName))]), await this.tables.rings(tx, monitored)] as const;
    for (const [modelName, version] of versions) {
      const key = versionKey(modelName, version);
      const found = known.get(key);
      if (!found || found.baseline.length === 0) {
        // Not registered (or its training profile not seen) yet: look again after a while, not per event.
        log.debug({ modelName, version }, 'predictions for a model version monitoring does not know (yet); not windowed');
        this.remember(modelName, version, null);
        setTimeout(() => this.monitorIfKnown(modelName, version) === null && this.monitors.get(modelName)?.delete(version), 1000).unref();
        continue;
      }
      const policy = policies.get(modelName)!;
      const layout = layoutOf(found.baseline);
      const ring = stored.get(key);
      const keys = this.keys.of(layout);
      const monitor: Monitor = {
        key, version: found, layout, policy, ring: ring && ring.policyVersion === policy.version ? ringInCurrentShape(ring.ring) : newRing(layout, policy),
        keys, observation: keys.observation, joinModel: this.join.modelIndex(modelName, version),
        // The stream position stored with the ring (a policy change starts a new ring, not a new stream).
        ...(this.streamPositionsFromRings && ring?.stream ? { stream: ring.stream } : {}),
      };
      this.remember(modelName, version, monitor);
    }
  }

  private onPrediction(monitor: Monitor, key: IdKey, touched: Touched): readonly ClosedWindow[] {
    touched.add(monitor);
    const positive = monitor.policy.performance.positiveClass;
    const observed = monitor.observation;
    const closed = addToRing(monitor.ring, monitor.layout, observed, positive);
    if (observed.groundTruth === null) {
      // Only what a label needs waits for it, not the features.
      this.waiting.model = monitor.joinModel;
      this.waiting.eventTime = observed.eventTime;
      this.waiting.predictedClass = observed.predictedClass;
      this.waiting.score = observed.score;
      this.waiting.protectedAttributes = observed.protectedAttributes;
      const early = this.join.prediction(key, this.waiting);
      if (early !== null) addLabelToRing(monitor.ring, monitor.layout, observed, early, positive);
    }
    return closed;
  }

  private onOutcome(key: IdKey, groundTruth: string, eventTime: number, touched: Touched): void {
    const target = this.join.outcome(key, groundTruth, eventTime);
    if (target === null) return;
    const monitor = this.monitorIfKnown(target.modelName, target.modelVersion);
    if (!monitor) return;
    addLabelToRing(monitor.ring, monitor.layout, target, groundTruth, monitor.policy.performance.positiveClass);
    touched.add(monitor);
  }

  /**
   * The batch's closed windows, judged in order once counting is done, and their events appended
   * to every monitor stream in one round trip (a batch closes many windows; one append each was
   * most of the batch's time).
   */
  private async evaluate(tx: Sql, windows: readonly ClosedIn[]): Promise<void> {
    const appends = new Map<Monitor, { streamId: string; expectedVersion: number; events: NewEvent[] }>();
    for (const { monitor, window, causationId, message } of windows) {
      const { modelName, version, digest, baseline, metrics: runMetrics } = monitor.version;
      const streamId = monitorStreamId(modelName, version);
      // The monitor's decider state is kept with its ring (read once), not re-read and re-folded per window:
      // the stream grows by a window each time. A concurrent writer makes the append fail, and the batch is redone.
      monitor.stream ??= await this.loadStream(tx, streamId);
      const stream = monitor.stream;
      // The window's events continue the trace of the prediction that closed it (one governance flow, one trace).
      const parent = message ? contextFrom({ traceparent: message.headers.traceparent, tracestate: message.headers.tracestate }) : undefined;
      const topic = message?.topic ?? Topics.predictions;
      const attributes = { [Attr.service]: 'monitoring', [Attr.topic]: topic, [Attr.messagingSystem]: 'kafka' };
      await inSpan(SpanName.consume(topic), attributes, async () => {
        const metrics = windowMetrics(baseline, runMetrics, monitor.policy, window.counts);
        const metadata = { actor: { id: 'monitoring', role: 'service' }, now: this.runtime.clock.now(), correlationId: streamId, causationId };
        const decided = monitorDecider.decide({
          type: 'EvaluateWindow', modelName, modelVersion: version, digest, window: window.descriptor, metrics, policy: monitor.policy, metadata,
        }, stream.state);
        if (decided.length === 0) return;
        const events = envelope(decided, {
          streamId, fromVersion: stream.version, metadata, newId: this.runtime.newId, trace: activeTraceContext(),
          links: monitoringLinks as Parameters<typeof envelope>[1]['links'],
        });
        let append = appends.get(monitor);
        if (append === undefined) appends.set(monitor, (append = { streamId, expectedVersion: stream.version, events: [] }));
        for (const event of events) append.events.push({ eventId: event.envelope.eventId, type: event.type, data: this.runtime.codec.encodeEvent(event) });
        monitor.stream = { state: decided.reduce(monitorDecider.evolve, stream.state), version: stream.version + decided.length };
        this.gauges.evaluated(modelName, version, metrics, decided.length - 1);
      }, parent);
    }
    const all = [...appends.values()];
    for (let i = 0; i < all.length; i += APPENDS_PER_STATEMENT) await this.runtime.store.appendMany(all.slice(i, i + APPENDS_PER_STATEMENT), tx);
  }

  private async loadStream(tx: Sql, streamId: string): Promise<{ state: MonitorState; version: number }> {
    const history = await this.runtime.store.readStream(streamId, { tx });
    const state = history.map((stored) => this.runtime.codec.decodeEvent(stored.data) as unknown as MonitorEvent).reduce(monitorDecider.evolve, monitorDecider.initialState());
    return { state, version: history.length };
  }

}

/** Touched rings as they are now: the next batch counts into them before these are stored. */
function asCounted(monitors: readonly Monitor[]): RingAsCounted[] {
  return monitors.map((monitor) => ({ monitor, json: JSON.stringify(monitor.ring) }));
}
