/**
 * DM threads opened from Slack's AI apps panel (assistant_thread_started).
 * Only there does assistant.threads.setStatus work, so Pulse asks for
 * "is thinking…" only there instead of spending a failing call on every DM.
 */

/** Threads remembered per process; the oldest are forgotten first (status is a nicety, not state). */
const MAX_REMEMBERED_THREADS = 10_000;

export class AssistantThreads {
  private readonly threads = new Set<string>();

  add(channelId: string, threadTs: string): void {
    const key = `${channelId}:${threadTs}`;
    this.threads.delete(key);
    this.threads.add(key);
    if (this.threads.size > MAX_REMEMBERED_THREADS) {
      const oldest = this.threads.values().next().value;
      if (oldest !== undefined) this.threads.delete(oldest);
    }
  }

  has(channelId: string, threadTs: string): boolean {
    return this.threads.has(`${channelId}:${threadTs}`);
  }
}
