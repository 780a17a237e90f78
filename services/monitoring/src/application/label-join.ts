import type { LabelTarget } from '@mgov/monitoring-domain';

export interface AwaitingLabel extends LabelTarget {
  readonly monitorKey: string;
  readonly eventTime: number;
}

/**
 * Joins outcomes to their predictions by prediction id within a horizon of event time, in bounded
 * memory: at most `capacity` predictions wait for a label (and as many outcomes for a prediction
 * not seen yet); the oldest are dropped first and counted as expired.
 */
export class LabelJoin {
  private readonly awaiting = new Map<string, AwaitingLabel>();
  private readonly early = new Map<string, { truth: string; eventTime: number }>();
  /** Insertion order, for eviction: iterating a Map from the front is slow once many entries were deleted. */
  private readonly awaitingOrder = new IdQueue();
  private readonly earlyOrder = new IdQueue();
  expired = 0;

  constructor(private readonly horizonMs: number, private readonly capacity: number) {}

  get size(): number {
    return this.awaiting.size + this.early.size;
  }

  /** A prediction without a label; returns the label if its outcome came first. */
  prediction(id: string, target: AwaitingLabel): string | null {
    const outcome = this.early.get(id);
    if (outcome !== undefined) {
      this.early.delete(id);
      return outcome.truth;
    }
    this.awaiting.set(id, target);
    this.awaitingOrder.push(id);
    this.trim(this.awaiting, this.awaitingOrder, target.eventTime);
    return null;
  }

  /** An outcome; returns its prediction if it is waiting. */
  outcome(id: string, truth: string, eventTime: number): AwaitingLabel | null {
    const target = this.awaiting.get(id);
    if (target !== undefined) {
      this.awaiting.delete(id);
      return target;
    }
    this.early.set(id, { truth, eventTime });
    this.earlyOrder.push(id);
    this.trim(this.early, this.earlyOrder, eventTime);
    return null;
  }

  private trim(map: Map<string, { eventTime: number }>, order: IdQueue, now: number): void {
    // Insertion order is close to event-time order, so the oldest are at the front.
    for (let id = order.peek(); id !== undefined; id = order.peek()) {
      const entry = map.get(id);
      if (entry !== undefined && map.size <= this.capacity && now - entry.eventTime <= this.horizonMs) break;
      order.shift();
      if (entry !== undefined && map.delete(id)) this.expired += 1;
    }
  }

}

/** A FIFO of ids in one array with a moving head, compacted now and then. */
class IdQueue {
  private ids: string[] = [];
  private head = 0;

  push(id: string): void {
    this.ids.push(id);
  }

  peek(): string | undefined {
    return this.head < this.ids.length ? this.ids[this.head] : undefined;
  }

  shift(): void {
    this.head += 1;
    if (this.head > 65_536 && this.head * 2 > this.ids.length) {
      this.ids = this.ids.slice(this.head);
      this.head = 0;
    }
  }
}
