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
  expired = 0;
  private inserts = 0;

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
    if (this.awaiting.size > this.capacity || ++this.inserts % 1024 === 0) this.trim(this.awaiting, target.eventTime);
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
    this.trim(this.early, eventTime);
    return null;
  }

  private trim(map: Map<string, { eventTime: number }>, now: number): void {
    // Insertion order is close to event-time order, so the oldest are at the front.
    for (const [id, entry] of map) {
      if (map.size <= this.capacity && now - entry.eventTime <= this.horizonMs) break;
      map.delete(id);
      this.expired += 1;
    }
  }
}
