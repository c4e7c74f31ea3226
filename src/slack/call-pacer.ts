/**
 * Spaces calls of one Slack method evenly to stay under its rate tier (Tier 3
 * is about 50 a minute for conversations.history and .replies). Waiting is
 * abortable so a shutdown is not held up by a long queue.
 */
export class CallPacer {
  private nextAt = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  static perMinute(calls: number): CallPacer {
    return new CallPacer(60_000 / calls);
  }

  /** Resolves when the next call may go out, reserving its slot. */
  async take(signal?: AbortSignal): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + this.intervalMs;
    if (at > now) await sleep(at - now, signal);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
