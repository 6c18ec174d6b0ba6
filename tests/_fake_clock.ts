/**
 * Replaces performance.now (the run's clock) by one that moves only when `advance` is called, so a
 * time budget runs out where a test says however slowly a loaded machine trains; `restore` puts
 * the real one back. Per test module: each runs in its own worker, with its own `performance`.
 */
export function fakeClock(): { advance: (ms: number) => number; restore: () => void } {
  const realNow = performance.now;
  let fakeMs = 0;
  const setNow = (now: () => number) =>
    Object.defineProperty(performance, "now", { value: now, configurable: true, writable: true });
  setNow(() => fakeMs);
  return { advance: (ms) => fakeMs += ms, restore: () => setNow(realNow) };
}
