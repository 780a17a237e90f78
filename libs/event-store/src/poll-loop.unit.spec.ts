import { pollLoop } from './poll-loop';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('pollLoop', () => {
  it('steps again at once while there is progress, then waits for notify', async () => {
    const results = [3, 2, 0];
    const steps: number[] = [];
    const idle = deferred();
    const woken = deferred();
    const loop = pollLoop(
      async () => {
        const n = results.shift() ?? 0;
        steps.push(n);
        if (n === 0 && steps.length === 3) idle.resolve();
        if (steps.length === 4) woken.resolve();
        return n;
      },
      { intervalMs: 60 * 60 * 1000 },
    );
    await idle.promise;
    expect(steps).toEqual([3, 2, 0]);
    loop.notify();
    await woken.promise;
    expect(steps).toEqual([3, 2, 0, 0]);
    await loop.stop();
  });

  it('does not lose a notify that arrives while a step runs', async () => {
    let calls = 0;
    const second = deferred();
    const loop = pollLoop(
      async () => {
        calls += 1;
        if (calls === 1) loop.notify();
        if (calls === 2) second.resolve();
        return 0;
      },
      { intervalMs: 60 * 60 * 1000 },
    );
    await second.promise;
    await loop.stop();
    expect(calls).toBe(2);
  });

  it('reports a failing step and keeps going', async () => {
    const errors: unknown[] = [];
    const recovered = deferred();
    let calls = 0;
    const loop = pollLoop(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('database unavailable');
        recovered.resolve();
        return 0;
      },
      { intervalMs: 1, onError: (error) => errors.push(error) },
    );
    await recovered.promise;
    await loop.stop();
    expect(errors).toEqual([new Error('database unavailable')]);
  });

  it('stop waits for the step in progress', async () => {
    const inStep = deferred();
    const finishStep = deferred();
    let finished = false;
    const loop = pollLoop(async () => {
      inStep.resolve();
      await finishStep.promise;
      finished = true;
      return 0;
    });
    await inStep.promise;
    const stopped = loop.stop();
    finishStep.resolve();
    await stopped;
    expect(finished).toBe(true);
  });
});
