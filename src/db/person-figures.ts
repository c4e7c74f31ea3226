/**
 * Figures that need people — a person dimension or filter, active_people,
 * channels_active_in — read from the packed per-person day sums
 * (people-sums.ts) and grouped in JS. Three ways in, cheapest first:
 * - every channel with figures in scope, no channel asked about: the per-day
 *   rows (analytics_person_days; a year is 365 rows);
 * - a sum over most channels, none asked about: the per-day rows minus the few
 *   channels left out (an asker outside one channel decodes one channel's
 *   rows, not thirty-nine);
 * - otherwise the channels' own analytics_channel_days rows.
 */
import type { Database } from 'better-sqlite3';
import { createPeopleKeys } from './analytics-people.ts';
import { addSums, forEachPersonSums, isZero, SUM_INDEX, zeroSums, type SumColumn, type Sums } from './people-sums.ts';
import { createStatementCache, sqlInList } from './sql-statements.ts';

/** The dimensions a packed figure can be grouped by. */
export type PersonFigureDimension = 'person' | 'channel' | 'day' | 'week' | 'month';

export interface PersonFigureQuery {
  teamId: string;
  /** A sum column, or a distinct count over the people or channels with messages. */
  value: SumColumn | 'active_people' | 'channels_active_in';
  groupBy: PersonFigureDimension[];
  /**
   * Channels counted; null reads the per-day rows, which the caller checked cover every channel in scope — less
   * `minusChannelIds` when given (sums only: each person's sums there are taken off the day's).
   */
  channelIds: string[] | null;
  minusChannelIds?: string[];
  personIds?: string[];
  fromDay: number;
  toDay: number;
}

export interface PersonFigureRow {
  keys: Record<string, string | number>;
  value: number;
}

/** Epoch day 4 (1970-01-05) is a Monday: weeks are Monday-to-Sunday, UTC. */
export const FIRST_MONDAY = 4;

export const weekOf = (day: number): number => Math.floor((day - FIRST_MONDAY) / 7) * 7 + FIRST_MONDAY;
export const monthOf = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 7);

interface Group {
  keys: (string | number)[];
  total: number;
  distinct: Set<string | number> | undefined;
  /** Subtracting: all ten sums, since a group exists only while one of them is left (an entry is never all zero). */
  sums: Sums | undefined;
}

/** Orders groups as SQLite orders GROUP BY keys: numbers before text, numbers by value, text by code unit. */
function compareKeys(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let index = 0; index < a.length; index += 1) {
    const left = a[index] as string | number;
    const right = b[index] as string | number;
    if (left === right) continue;
    if (typeof left !== typeof right) return typeof left === 'number' ? -1 : 1;
    return left < right ? -1 : 1;
  }
  return 0;
}

export function createPersonFigures(sqlite: Database) {
  const prepared = createStatementCache(sqlite);
  const peopleKeys = createPeopleKeys(sqlite);
  const MESSAGES = SUM_INDEX.messages;

  return function personFigures(query: PersonFigureQuery): PersonFigureRow[] {
    const names = peopleKeys.names(query.teamId);
    let wanted: Set<number> | undefined;
    if (query.personIds && query.personIds.length > 0) {
      const asked = new Set(query.personIds);
      wanted = new Set([...names].filter(([, personId]) => asked.has(personId)).map(([key]) => key));
    }
    const range = [query.teamId, query.fromDay, query.toDay];
    const channelRows = (channelIds: readonly string[]) => {
      const params: unknown[] = [...range];
      return prepared(
        `SELECT channel_id, day, people FROM analytics_channel_days
         WHERE team_id = ? AND day >= ? AND day < ? AND ${sqlInList('channel_id', channelIds, params)} AND people IS NOT NULL`,
      ).raw().all(...params) as [string | null, number, Buffer][];
    };
    const dayRows = () =>
      prepared('SELECT NULL, day, people FROM analytics_person_days WHERE team_id = ? AND day >= ? AND day < ?').raw().all(...range) as [
        string | null,
        number,
        Buffer,
      ][];

    const { value, groupBy } = query;
    const sumIndex = value === 'active_people' || value === 'channels_active_in' ? -1 : SUM_INDEX[value];
    const minus = query.channelIds === null && (query.minusChannelIds?.length ?? 0) > 0 ? query.minusChannelIds : undefined;
    if (minus && sumIndex < 0) throw new Error('only sums can be read as the per-day rows minus some channels');
    // Groups by the row's keys, then (when asked) by person key: one string lookup per row, one number lookup per person.
    const groups = new Map<string, Map<number, Group>>();
    const personAt = groupBy.indexOf('person');
    const add = (rows: [string | null, number, Buffer][], sign: 1 | -1) => {
      for (const [channelId, day, blob] of rows) {
        // Every key but the person's is the row's: worked out once per row, not per person in it.
        const rowKeys = groupBy.map((dimension): string | number => {
          switch (dimension) {
            case 'person':
              return '';
            case 'channel':
              return channelId as string;
            case 'day':
              return day;
            case 'week':
              return weekOf(day);
            case 'month':
              return monthOf(day);
          }
        });
        const rowId = rowKeys.join('\u0000');
        let rowGroups = groups.get(rowId);
        if (!rowGroups) groups.set(rowId, (rowGroups = new Map()));
        const byPerson = rowGroups;
        forEachPersonSums(blob, (personKey, sums) => {
          if (wanted && !wanted.has(personKey)) return;
          // Distinct counts count who (or where) had messages; a sum counts every stored entry, as SQL's GROUP BY would.
          if (sumIndex < 0 && sums[MESSAGES] === 0) return;
          const id = personAt < 0 ? 0 : personKey;
          let group = byPerson.get(id);
          if (!group) {
            const keys = [...rowKeys];
            if (personAt >= 0) keys[personAt] = names.get(personKey) ?? `#${personKey}`;
            group = { keys, total: 0, distinct: sumIndex < 0 ? new Set() : undefined, sums: minus ? zeroSums() : undefined };
            byPerson.set(id, group);
          }
          if (group.sums) addSums(group.sums, sums, sign);
          else if (sumIndex >= 0) group.total += sums[sumIndex] as number;
          else group.distinct?.add(value === 'active_people' ? personKey : (channelId as string));
        });
      }
    };
    add(query.channelIds ? channelRows(query.channelIds) : dayRows(), 1);
    if (minus) add(channelRows(minus), -1);
    const result = [...groups.values()]
      .flatMap((byPerson) => [...byPerson.values()])
      .filter((group) => !group.sums || !isZero(group.sums))
      .sort((a, b) => compareKeys(a.keys, b.keys))
      .map((group) => ({
        keys: Object.fromEntries(groupBy.map((dimension, index) => [dimension, group.keys[index] as string | number])),
        value: group.sums ? (group.sums[sumIndex] as number) : group.distinct ? group.distinct.size : group.total,
      }));
    // Ungrouped, SQL gives one row even over nothing (a sum of nothing is 0 here, as the callers read NULL).
    if (groupBy.length === 0 && result.length === 0) return [{ keys: {}, value: 0 }];
    return result;
  };
}
