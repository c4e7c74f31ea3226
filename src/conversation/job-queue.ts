/**
 * Runs answer jobs with a global concurrency cap (to stay inside Slack's and
 * the LLM's rate limits) while keeping jobs of one thread strictly in order,
 * so answers in a thread go out in the order the questions came.
 */

export interface JobQueueOptions {
  concurrency: number;
  onError: (error: unknown) => void;
}

export class KeyedJobQueue {
  private running = 0;
  private readonly ready: { key: string; run: () => Promise<void> }[] = [];
  /** Keys with a job running or queued; later jobs of the same key wait behind it. */
  private readonly chains = new Map<string, (() => Promise<void>)[]>();
  private readonly busyKeys = new Set<string>();
  private readonly idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: JobQueueOptions) {}

  get size(): number {
    if (this.closed) return this.running;
    return this.running + this.ready.length + [...this.chains.values()].reduce((sum, jobs) => sum + jobs.length, 0);
  }

  /** Starts nothing new from now on; onIdle() then waits only for running jobs. */
  close(): void {
    this.closed = true;
    if (this.running === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Starts queued jobs again after close() (a disconnect that could not delete goes back on). */
  reopen(): void {
    this.closed = false;
    this.drain();
  }

  /**
   * Queues a job. 'chained': it waits behind its own key's job; 'started':
   * it is running; 'waiting': it waits for a free slot behind `ready` others.
   */
  push(key: string, run: () => Promise<void>): 'chained' | 'started' | 'waiting' {
    if (this.busyKeys.has(key)) {
      const chain = this.chains.get(key) ?? [];
      chain.push(run);
      this.chains.set(key, chain);
      return 'chained';
    }
    this.busyKeys.add(key);
    this.ready.push({ key, run });
    this.drain();
    return this.ready.some((job) => job.run === run) ? 'waiting' : 'started';
  }

  /** Jobs waiting for a free slot (not counting those waiting behind their own key). */
  get waitingForSlot(): number {
    return this.ready.length;
  }

  /** Resolves once nothing is running or queued. */
  onIdle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private drain(): void {
    while (!this.closed && this.running < this.options.concurrency && this.ready.length > 0) {
      const job = this.ready.shift();
      if (!job) break;
      this.running += 1;
      // A run() that throws synchronously is handled like one that rejects.
      void new Promise<void>((resolve) => resolve(job.run()))
        .catch((error: unknown) => this.options.onError(error))
        .finally(() => {
          this.running -= 1;
          this.release(job.key);
          this.drain();
          if (this.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
        });
    }
  }

  private release(key: string): void {
    const chain = this.chains.get(key);
    const next = chain?.shift();
    if (chain && chain.length === 0) this.chains.delete(key);
    if (next) {
      this.ready.push({ key, run: next });
    } else {
      this.busyKeys.delete(key);
    }
  }
}
