/**
 * Per-person day sums packed into one blob (pure): what analytics_channel_days
 * and analytics_person_days store in `people` instead of a row per person.
 *
 * A blob is a run of entries in ascending person-key order; each entry is
 * unsigned LEB128 varints: the person key (analytics_people.person_key), a
 * bitmask of the sums that are not zero (bit i for SUM_COLUMNS[i]), then each
 * of those sums in column order. Equal sums encode to equal bytes, so a
 * rebuild can tell a changed day by comparing blobs.
 */

/** The additive signals, in the order of a Sums array and of the channel-day columns. */
export const SUM_COLUMNS = [
  'messages', 'threads_started', 'replies', 'help_replies', 'reactions_given', 'reactions_received', 'mentions_given',
  'mentions_received', 'links', 'bot_messages',
] as const;
export type SumColumn = (typeof SUM_COLUMNS)[number];
export const SUM_COUNT = SUM_COLUMNS.length;
export const SUM_INDEX = Object.fromEntries(SUM_COLUMNS.map((column, index) => [column, index])) as Record<SumColumn, number>;

/** One value per SUM_COLUMNS entry. */
export type Sums = number[];

export const zeroSums = (): Sums => new Array<number>(SUM_COUNT).fill(0);
export const isZero = (sums: readonly number[]) => sums.every((value) => value === 0);
export const sameSums = (a: readonly number[], b: readonly number[]) => a.every((value, index) => value === b[index]);

/** Adds `delta` (times `sign`) into `sums`. */
export function addSums(sums: Sums, delta: readonly number[], sign = 1): void {
  for (let index = 0; index < SUM_COUNT; index += 1) sums[index] = (sums[index] as number) + sign * (delta[index] as number);
}

/** The row of `key` in `table`, created as zeros. */
export function sumsFor<K>(table: Map<K, Sums>, key: K): Sums {
  let sums = table.get(key);
  if (!sums) table.set(key, (sums = zeroSums()));
  return sums;
}

function writeVarint(bytes: number[], value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`a packed day sum must be a whole number ≥ 0, got ${value}`);
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
}

/** Packs per-person sums (people whose sums are all zero are left out); null when nobody is left. */
export function encodePeopleSums(people: ReadonlyMap<number, readonly number[]>): Buffer | null {
  const bytes: number[] = [];
  for (const key of [...people.keys()].sort((a, b) => a - b)) {
    const sums = people.get(key) as readonly number[];
    let mask = 0;
    for (let index = 0; index < SUM_COUNT; index += 1) if (sums[index] !== 0) mask |= 1 << index;
    if (mask === 0) continue;
    writeVarint(bytes, key);
    writeVarint(bytes, mask);
    for (let index = 0; index < SUM_COUNT; index += 1) if (mask & (1 << index)) writeVarint(bytes, sums[index] as number);
  }
  return bytes.length === 0 ? null : Buffer.from(bytes);
}

/**
 * Calls `visit` for each person in a packed blob, in key order. `sums` is one
 * array reused for every entry (copy it to keep it). Throws on a truncated blob.
 * The varints are read inline: queries decode hundreds of thousands of entries.
 */
export function forEachPersonSums(blob: Uint8Array | null, visit: (personKey: number, sums: readonly number[]) => void): void {
  if (!blob) return;
  const sums = zeroSums();
  const end = blob.length;
  let offset = 0;
  let field = 0;
  let key = 0;
  let mask = 0;
  while (offset < end) {
    // Fields of an entry: 0 the key, 1 the mask, then one per set bit of the mask.
    let value = 0;
    let scale = 1;
    let byte: number;
    do {
      if (offset >= end) throw new RangeError('a packed day-sums blob ends inside an entry');
      byte = blob[offset++] as number;
      value += (byte & 0x7f) * scale;
      scale *= 0x80;
    } while (byte >= 0x80);
    if (field === 0) {
      key = value;
      field = 1;
      continue;
    }
    if (field === 1) {
      mask = value;
      for (let index = 0; index < SUM_COUNT; index += 1) sums[index] = 0;
    } else {
      // The sum for the lowest bit still set; clear it.
      const bit = mask & -mask;
      sums[31 - Math.clz32(bit)] = value;
      mask ^= bit;
    }
    field = 2;
    if (mask === 0) {
      visit(key, sums);
      field = 0;
    }
  }
  if (field !== 0) throw new RangeError('a packed day-sums blob ends inside an entry');
}

/** A packed blob as a map of person key to (fresh) sums. */
export function decodePeopleSums(blob: Uint8Array | null): Map<number, Sums> {
  const people = new Map<number, Sums>();
  forEachPersonSums(blob, (key, sums) => people.set(key, [...sums]));
  return people;
}

/** Whether two blobs (either may be null) hold the same bytes. */
export function sameBlob(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  return Buffer.compare(a, b) === 0;
}
