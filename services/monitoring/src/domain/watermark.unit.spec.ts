import { Watermark } from './watermark';

describe('watermark: the event time a stream has passed', () => {
  it('is nothing until an event is seen, then the newest event time less the allowed lateness', () => {
    const watermark = new Watermark(1_000);
    expect(watermark.at(50)).toBe(Number.NEGATIVE_INFINITY);
    watermark.saw(10_000, 100);
    watermark.saw(9_000, 100);
    expect(watermark.at(100)).toBe(9_000);
  });

  it('moves on with the clock while the stream is quiet, and from the newest event again when one comes', () => {
    const watermark = new Watermark(1_000);
    watermark.saw(10_000, 100);
    expect(watermark.at(2_100)).toBe(11_000);
    // An event newer than the newest seen but older than the clock moved the watermark: it never moves back.
    watermark.saw(10_500, 2_100);
    expect(watermark.at(2_100)).toBe(11_000);
    expect(watermark.at(2_600)).toBe(11_000);
    // It moves on again once the clock has carried the newer event past it.
    expect(watermark.at(4_100)).toBe(11_500);
    watermark.saw(20_000, 4_200);
    expect(watermark.at(4_200)).toBe(19_000);
  });

  it('is not moved by an event dated further ahead of the clock than the allowed skew', () => {
    const watermark = new Watermark(1_000, 60_000);
    watermark.saw(100_000, 100_000);
    watermark.saw(100_000 + 3_600_000, 100_000);
    expect(watermark.at(100_000)).toBe(99_000);
    watermark.saw(130_000, 100_000);
    expect(watermark.at(100_000)).toBe(129_000);
  });
});
