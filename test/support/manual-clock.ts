/** A clock the test moves by hand: timers fire, in time order, when it is advanced past them. */
import type { Clock } from '../../src/reports/clock.ts';

export class ManualClock implements Clock {
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 0;

  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, callback: () => void): () => void {
    const id = (this.nextId += 1);
    this.timers.push({ at: this.current + delayMs, callback, id });
    return () => {
      this.timers = this.timers.filter((timer) => timer.id !== id);
    };
  }

  /** Moves to `ms`, firing every timer due on the way (each at its own time). */
  advanceTo(ms: number): void {
    for (let guard = 0; guard < 10_000; guard += 1) {
      const due = this.timers.filter((timer) => timer.at <= ms).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.current = Math.max(this.current, due.at);
      due.callback();
    }
    this.current = Math.max(this.current, ms);
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.current + ms);
  }
}
