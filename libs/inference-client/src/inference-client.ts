import { type AvroCodec, avroCodec, type Outcome, type Prediction } from '@mgov/contracts';
import { type BusMessage, kafkaBus, type MessageBus, Topics } from '@mgov/messaging';

/** Where the client sends: straight to Kafka, or MGov's HTTP batch endpoints for services without Kafka. */
export type InferenceTransport =
  | { readonly kind: 'kafka'; readonly brokers: string | readonly string[]; readonly clientId?: string }
  | { readonly kind: 'bus'; readonly bus: MessageBus }
  | { readonly kind: 'http'; readonly url: string; readonly token: string };

export interface InferenceClientOptions {
  readonly transport: InferenceTransport;
  /** Events buffered before a send (default 1000; HTTP at most 10,000). */
  readonly batchSize?: number;
  /** A partial batch is sent after this long (default 50 ms). */
  readonly lingerMs?: number;
}

export type PredictionInput = Omit<Prediction, 'numericFeatures' | 'categoricalFeatures' | 'predictedClass' | 'score' | 'protectedAttributes' | 'groundTruth' | 'eventTime' | 'modelDigest'>
  & Partial<Prediction>;
export type OutcomeInput = Omit<Outcome, 'eventTime' | 'modelName'> & Partial<Outcome>;

const MAX_SEND_BYTES = 768 * 1024;

class Buffered<T> {
  private items: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();

  constructor(private readonly send: (items: T[]) => Promise<void>, private readonly size: number, private readonly lingerMs: number) {}

  add(item: T): Promise<void> {
    this.items.push(item);
    if (this.items.length >= this.size) return this.flush();
    this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), this.lingerMs);
    return Promise.resolve();
  }

  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.items;
    this.items = [];
    // Sends stay in order: each waits for the one before.
    this.sending = this.sending.then(() => (batch.length > 0 ? this.send(batch) : undefined));
    return this.sending;
  }
}

/**
 * What an inference service uses to report to MGov monitoring: each prediction (features, class
 * and/or score, protected attributes) and, when known, its outcome — validated against the public
 * Avro contracts (`mgov.inference.Prediction`, `mgov.inference.Outcome`) before anything is sent.
 */
export class InferenceClient {
  private readonly codec: AvroCodec = avroCodec();
  private readonly bus: MessageBus | null;
  private readonly ownsBus: boolean;
  private readonly predictions: Buffered<Prediction>;
  private readonly outcomes: Buffered<Outcome>;
  private ready: Promise<void> | undefined;

  constructor(private readonly options: InferenceClientOptions) {
    const { transport } = options;
    this.bus = transport.kind === 'kafka' ? kafkaBus({ brokers: transport.brokers, clientId: transport.clientId ?? 'mgov-inference-client' })
      : transport.kind === 'bus' ? transport.bus : null;
    this.ownsBus = transport.kind === 'kafka';
    const size = Math.min(options.batchSize ?? 1000, transport.kind === 'http' ? 10_000 : Number.MAX_SAFE_INTEGER);
    const linger = options.lingerMs ?? 50;
    this.predictions = new Buffered((items) => this.send(Topics.predictions, 'Prediction', items, (p) => p.modelName), size, linger);
    this.outcomes = new Buffered((items) => this.send(Topics.outcomes, 'Outcome', items, (o) => o.predictionId), size, linger);
  }

  /** Queues a prediction; rejects at once (CONTRACTS.INVALID_EVENT) if it does not match the contract. */
  predict(input: PredictionInput): Promise<void> {
    const prediction: Prediction = {
      modelDigest: '', eventTime: Date.now(), numericFeatures: {}, categoricalFeatures: {}, predictedClass: null, score: null,
      protectedAttributes: {}, groundTruth: null, ...input,
    };
    this.codec.encode('Prediction', prediction);
    return this.predictions.add(prediction);
  }

  /** Queues the ground truth of an earlier prediction. */
  outcome(input: OutcomeInput): Promise<void> {
    const outcome: Outcome = { eventTime: Date.now(), modelName: '', ...input };
    this.codec.encode('Outcome', outcome);
    return this.outcomes.add(outcome);
  }

  /** Sends everything queued. */
  async flush(): Promise<void> {
    await Promise.all([this.predictions.flush(), this.outcomes.flush()]);
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.ownsBus) await this.bus!.close();
  }

  private async send<T>(topic: string, record: string, items: T[], key: (item: T) => string): Promise<void> {
    if (this.bus) {
      this.ready ??= this.bus.ensureTopics([Topics.predictions, Topics.outcomes]);
      await this.ready;
      const messages: BusMessage[] = items.map((item) => ({ key: key(item), value: this.codec.encode(record, item) }));
      // Kafka refuses a record batch over message.max.bytes (1 MB by default): send in slices under it.
      for (let start = 0, bytes = 0, i = 0; i <= messages.length; i += 1) {
        if (i === messages.length || bytes + messages[i]!.value.length > MAX_SEND_BYTES) {
          if (i > start) await this.bus.publish(topic, messages.slice(start, i));
          start = i;
          bytes = 0;
        }
        if (i < messages.length) bytes += messages[i]!.value.length + messages[i]!.key.length + 64;
      }
      return;
    }
    const { url, token } = this.options.transport as Extract<InferenceTransport, { kind: 'http' }>;
    const path = record === 'Outcome' ? 'outcomes' : 'predictions';
    const response = await fetch(`${url.replace(/\/$/, '')}/monitoring/${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ [path]: items }),
    });
    if (!response.ok) throw new Error(`MGov refused ${items.length} ${path}: ${response.status} ${await response.text()}`);
  }
}
