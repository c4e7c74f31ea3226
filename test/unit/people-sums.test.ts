/**
 * The packed per-person day sums (src/db/people-sums.ts): what goes in comes
 * out, equal sums give equal bytes whatever order they were added in, and a
 * damaged blob or an impossible sum is an error rather than a wrong figure.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/emulator/seeded-random.ts';
import {
  decodePeopleSums, encodePeopleSums, forEachPersonSums, sameBlob, SUM_COUNT, SUM_INDEX, zeroSums, type Sums,
} from '../../src/db/people-sums.ts';

const sums = (values: Partial<Record<keyof typeof SUM_INDEX, number>>): Sums => {
  const row = zeroSums();
  for (const [column, value] of Object.entries(values)) row[SUM_INDEX[column as keyof typeof SUM_INDEX]] = value;
  return row;
};

describe('packed per-person sums', () => {
  it('gives back every person and sum it was given', () => {
    const people = new Map<number, Sums>([
      [1, sums({ messages: 3, help_replies: 1 })],
      [7, sums({ reactions_given: 2 })],
      [300, sums({ messages: 1, bot_messages: 0, mentions_received: 129, links: 16_384 })],
    ]);
    expect(decodePeopleSums(encodePeopleSums(people))).toEqual(people);
  });

  it('round-trips random sums, keys and magnitudes up to the largest safe integer', () => {
    const random = createRandom(7);
    for (let round = 0; round < 200; round += 1) {
      const people = new Map<number, Sums>();
      const count = random.int(1, 40);
      for (let index = 0; index < count; index += 1) {
        const row = Array.from({ length: SUM_COUNT }, () =>
          random.chance(0.5) ? 0 : random.chance(0.9) ? random.int(1, 200) : random.int(1, Number.MAX_SAFE_INTEGER));
        row[SUM_INDEX.messages] = Math.max(1, row[SUM_INDEX.messages] as number);
        people.set(random.int(1, 1_000_000), row);
      }
      expect(decodePeopleSums(encodePeopleSums(people))).toEqual(people);
    }
  });

  it('leaves out people whose sums are all zero, and is null when nobody is left', () => {
    expect(encodePeopleSums(new Map())).toBeNull();
    expect(encodePeopleSums(new Map([[4, zeroSums()]]))).toBeNull();
    const packed = encodePeopleSums(new Map([[4, zeroSums()], [5, sums({ replies: 2 })]]));
    expect([...decodePeopleSums(packed).keys()]).toEqual([5]);
  });

  it('encodes the same sums to the same bytes whatever order the people were added in', () => {
    const forward = new Map<number, Sums>([[2, sums({ messages: 1 })], [9, sums({ replies: 4 })], [40, sums({ links: 2 })]]);
    const backward = new Map([...forward].reverse());
    expect(sameBlob(encodePeopleSums(forward), encodePeopleSums(backward))).toBe(true);
    expect(sameBlob(encodePeopleSums(forward), encodePeopleSums(new Map([[2, sums({ messages: 2 })]])))).toBe(false);
    expect(sameBlob(null, null)).toBe(true);
    expect(sameBlob(null, encodePeopleSums(forward))).toBe(false);
  });

  it('visits people in key order with their sums, and nothing for a null blob', () => {
    const seen: [number, number[]][] = [];
    forEachPersonSums(encodePeopleSums(new Map([[30, sums({ messages: 2 })], [3, sums({ threads_started: 1 })]])), (key, row) => seen.push([key, [...row]]));
    expect(seen).toEqual([[3, sums({ threads_started: 1 })], [30, sums({ messages: 2 })]]);
    forEachPersonSums(null, () => {
      throw new Error('visited a person in a null blob');
    });
  });

  it('refuses a negative, fractional or unsafe sum instead of storing a wrong one', () => {
    for (const bad of [-1, 1.5, Number.MAX_SAFE_INTEGER + 2, Number.NaN]) {
      expect(() => encodePeopleSums(new Map([[1, sums({ messages: bad })]]))).toThrow(/whole number/);
    }
  });

  it('throws on a blob cut inside an entry', () => {
    const packed = encodePeopleSums(new Map([[1, sums({ messages: 300, replies: 2 })]])) as Buffer;
    for (let length = 1; length < packed.length; length += 1) {
      expect(() => decodePeopleSums(packed.subarray(0, length))).toThrow(/ends inside an entry/);
    }
  });
});
