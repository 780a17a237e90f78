/**
 * The event time a stream has passed: the newest event time seen, moved on with the clock while
 * the stream is quiet, less the lateness allowed to stragglers. Time windows up to it can close:
 * a model that stops receiving predictions still gets its last window judged. It never moves
 * back: an event that comes after a quiet spell, older than the clock had moved it, is late. An
 * event time further ahead of the clock than `maxFutureSkewMs` (a producer with a wrong clock)
 * does not move it: otherwise one bad producer would close every model's windows early.
 */
export class Watermark {
  private newest = Number.NEGATIVE_INFINITY;
  private seenAt = 0;
  private passed = Number.NEGATIVE_INFINITY;

  constructor(private readonly allowedLatenessMs: number, private readonly maxFutureSkewMs = Number.POSITIVE_INFINITY) {}

  /** An event of `eventTime` arrived at wall-clock `now`. */
  saw(eventTime: number, now: number): void {
    if (eventTime > this.newest && eventTime - now <= this.maxFutureSkewMs) {
      this.newest = eventTime;
      this.seenAt = now;
    }
  }

  /** The newest event time seen (-Infinity before any). */
  get newestEventTime(): number {
    return this.newest;
  }

  /** -Infinity until an event was seen. */
  at(now: number): number {
    this.passed = Math.max(this.passed, this.newest + Math.max(0, now - this.seenAt) - this.allowedLatenessMs);
    return this.passed;
  }
}
