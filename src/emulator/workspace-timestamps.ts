/**
 * Slack message ts arithmetic the workspace needs beyond `ids.ts`: converting
 * a ts to and from microseconds, and finding a ts in a ts-ordered message list.
 */
import { compareTs } from './ids.ts';
import type { EmulatedMessage } from './types.ts';

export function tsToMicros(ts: string): number {
  const [seconds = '0', micros = '0'] = ts.split('.');
  return Number(seconds) * 1_000_000 + Number(micros.padEnd(6, '0').slice(0, 6));
}

export function microsToTs(micros: number): string {
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

/** Index of the first message whose ts is not older than `ts` (lists are kept in ts order). */
export function lowerBound(list: readonly EmulatedMessage[], ts: string): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (compareTs((list[middle] as EmulatedMessage).ts, ts) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
