/**
 * Time for the report scheduler, injected so a test can move it: the system
 * clock in production (startPulse's default), a manual one in tests.
 */
export interface Clock {
  now(): number;
  /** Calls `callback` after `delayMs` of this clock's time; returns a cancel function. */
  setTimer(delayMs: number, callback: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(delayMs, callback) {
    const timer = setTimeout(callback, delayMs);
    // A pending report must not keep a stopping process alive.
    timer.unref();
    return () => clearTimeout(timer);
  },
};
