/**
 * How many answers were in progress over a burst, from the intervals the
 * probe recorded: the peak, and the mean in each slice of the burst (a tail
 * where few slots are busy shows as small numbers at the end).
 */

export type Interval = readonly [start: number, end: number];

/** Most intervals open at one instant. */
export function peakOverlap(intervals: readonly Interval[]): number {
  const edges: [number, number][] = [];
  for (const [start, end] of intervals) edges.push([start, 1], [end, -1]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peak = 0;
  for (const [, delta] of edges) {
    open += delta;
    peak = Math.max(peak, open);
  }
  return peak;
}

/** Mean number of open intervals in each of `slices` equal slices of [from, to]. */
export function meanOverlapBySlice(intervals: readonly Interval[], from: number, to: number, slices: number): number[] {
  const width = (to - from) / slices;
  if (!(width > 0)) return [];
  const busy = new Array<number>(slices).fill(0);
  for (const [start, end] of intervals) {
    const first = Math.max(0, Math.floor((start - from) / width));
    const last = Math.min(slices - 1, Math.floor((end - from) / width));
    for (let slice = first; slice <= last; slice += 1) {
      const sliceStart = from + slice * width;
      const overlap = Math.min(end, sliceStart + width) - Math.max(start, sliceStart);
      if (overlap > 0) busy[slice] = (busy[slice] ?? 0) + overlap;
    }
  }
  return busy.map((total) => total / width);
}
