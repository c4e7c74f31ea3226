/**
 * Metric queries over the analytics tables. Every SQL fragment comes from the
 * fixed tables below (metric and dimension names are validated before they
 * get here); every id and bound is a bound parameter.
 *
 * Additive signals over everyone read analytics_channel_days; figures that
 * need people read the packed per-person sums (person-figures.ts); thread
 * signals read analytics_threads, links by kind read analytics_links.
 */
import { LINK_KINDS, type LinkKind } from '../analytics/classify-link.ts';
import type { PulseDatabase } from './open-database.ts';
import { createPersonFigures, FIRST_MONDAY, type PersonFigureDimension } from './person-figures.ts';
import { createStatementCache, sqlInList } from './sql-statements.ts';

export const DAILY_METRICS = {
  messages: 'messages',
  threads_started: 'threads_started',
  replies: 'replies',
  help_replies: 'help_replies',
  reactions_given: 'reactions_given',
  reactions_received: 'reactions_received',
  mentions_given: 'mentions_given',
  mentions_received: 'mentions_received',
  links: 'links',
  bot_messages: 'bot_messages',
} as const;
export const DISTINCT_METRICS = ['channels_active_in', 'active_people'] as const;
export const THREAD_METRICS = ['threads', 'avg_replies_per_thread', 'avg_participants_per_thread', 'median_minutes_to_first_reply'] as const;
export const METRICS = [...(Object.keys(DAILY_METRICS) as (keyof typeof DAILY_METRICS)[]), ...DISTINCT_METRICS, ...THREAD_METRICS] as const;
export type Metric = (typeof METRICS)[number];

export const DIMENSIONS = ['person', 'channel', 'day', 'week', 'month', 'link_kind'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
export const TIME_DIMENSIONS: ReadonlySet<Dimension> = new Set(['day', 'week', 'month']);

export interface MetricQuery {
  teamId: string;
  metric: Metric;
  groupBy: Dimension[];
  /** Channels counted (already limited to what the asker may see). */
  channelIds: string[];
  personIds?: string[];
  linkKinds?: LinkKind[];
  /** UTC day numbers, fromDay ≤ day < toDay. */
  fromDay: number;
  toDay: number;
}

export interface MetricRow {
  keys: Record<string, string | number>;
  value: number;
}

export interface ThreadListQuery {
  teamId: string;
  channelIds: string[];
  personIds?: string[];
  linkKinds?: LinkKind[];
  fromDay: number;
  toDay: number;
  order: 'replies' | 'participants' | 'slowest_first_reply';
  limit: number;
}

export interface ThreadRow {
  channelId: string;
  threadTs: string;
  rootAuthorId: string;
  rootIsQuestion: boolean;
  replies: number;
  participants: number;
  firstReplyMs: number | null;
  linkMask: number;
}

function dimensionSql(dimension: Dimension, table: 'd' | 't' | 'l'): string {
  const dayColumn = `${table}.day`;
  switch (dimension) {
    case 'person':
      if (table === 'd') throw new Error('channel-day sums have no person: person-figures.ts answers figures about people');
      return table === 't' ? 't.root_author_id' : 'l.author_id';
    case 'channel':
      return `${table}.channel_id`;
    case 'day':
      return dayColumn;
    case 'week':
      return `(((${dayColumn} - ${FIRST_MONDAY}) / 7) * 7 + ${FIRST_MONDAY})`;
    case 'month':
      return `strftime('%Y-%m', ${dayColumn} * 86400, 'unixepoch')`;
    case 'link_kind':
      return 'l.kind';
  }
}

export function createAnalyticsQueries(db: PulseDatabase) {
  const prepared = createStatementCache(db.$client);
  const personFigures = createPersonFigures(db.$client);

  function scope(query: MetricQuery | ThreadListQuery, table: 'd' | 't' | 'l', params: unknown[]): string[] {
    params.push(query.teamId, query.fromDay, query.toDay);
    const where = [`${table}.team_id = ?`, `${table}.day >= ?`, `${table}.day < ?`];
    where.push(sqlInList(`${table}.channel_id`, query.channelIds, params));
    if (query.personIds && query.personIds.length > 0) {
      where.push(sqlInList(dimensionSql('person', table), query.personIds, params));
    }
    return where;
  }

  function run(sql: string, params: unknown[]): Record<string, unknown>[] {
    return prepared(sql).all(...params) as Record<string, unknown>[];
  }

  function toRows(raw: Record<string, unknown>[], groupBy: Dimension[]): MetricRow[] {
    return raw.map((row) => ({
      keys: Object.fromEntries(groupBy.map((dimension, index) => [dimension, row[`k${index}`] as string | number])),
      value: Number(row.value ?? 0),
    }));
  }

  return {
    /** Rows of the metric per combination of the groupBy dimensions (one row, no keys, when ungrouped). */
    metric(query: MetricQuery): MetricRow[] {
      if (query.channelIds.length === 0) return [];
      const params: unknown[] = [];
      const { metric, groupBy } = query;
      if (metric === 'links' && (groupBy.includes('link_kind') || (query.linkKinds?.length ?? 0) > 0)) {
        const keys = groupBy.map((dimension, index) => `${dimensionSql(dimension, 'l')} AS k${index}`);
        const where = scope(query, 'l', params);
        if (query.linkKinds?.length) where.push(sqlInList('l.kind', query.linkKinds, params));
        return toRows(
          run(
            `SELECT ${[...keys, 'SUM(l.count) AS value'].join(', ')} FROM analytics_links l WHERE ${where.join(' AND ')}` +
              (keys.length ? ` GROUP BY ${groupBy.map((_, index) => `k${index}`).join(', ')}` : ''),
            params,
          ),
          groupBy,
        );
      }
      if ((THREAD_METRICS as readonly string[]).includes(metric)) return this.threadMetric(query);
      const additive = metric in DAILY_METRICS;
      const wantsPerson = groupBy.includes('person') || (query.personIds?.length ?? 0) > 0;
      if (!additive || wantsPerson) {
        // The per-day rows when no channel is asked about and they cover the scope — or, for a sum, most of it (less
        // the channels left out); else the channels' own rows.
        const needsChannels = groupBy.includes('channel') || metric === 'channels_active_in';
        const { inScope, leftOut } = needsChannels ? { inScope: [], leftOut: [] } : this.channelsWithFigures(query.teamId, query.channelIds);
        const fromDays = !needsChannels && (leftOut.length === 0 || (additive && leftOut.length < inScope.length));
        return personFigures({
          teamId: query.teamId,
          value: additive ? DAILY_METRICS[metric as keyof typeof DAILY_METRICS] : (metric as 'active_people' | 'channels_active_in'),
          groupBy: groupBy as PersonFigureDimension[],
          channelIds: fromDays ? null : query.channelIds,
          ...(fromDays && leftOut.length > 0 ? { minusChannelIds: leftOut } : {}),
          personIds: query.personIds,
          fromDay: query.fromDay,
          toDay: query.toDay,
        });
      }
      const keys = groupBy.map((dimension, index) => `${dimensionSql(dimension, 'd')} AS k${index}`);
      const where = scope(query, 'd', params);
      const value = `SUM(d.${DAILY_METRICS[metric as keyof typeof DAILY_METRICS]})`;
      const grouping = keys.length ? ` GROUP BY ${groupBy.map((_, index) => `k${index}`).join(', ')}` : '';
      return toRows(
        run(`SELECT ${[...keys, `${value} AS value`].join(', ')} FROM analytics_channel_days d WHERE ${where.join(' AND ')}${grouping}`, params),
        groupBy,
      );
    },

    threadMetric(query: MetricQuery): MetricRow[] {
      const params: unknown[] = [];
      const keys = query.groupBy.map((dimension, index) => `${dimensionSql(dimension, 't')} AS k${index}`);
      const where = scope(query, 't', params);
      if (query.linkKinds?.length) where.push(`(t.link_mask & ${maskOf(query.linkKinds)}) <> 0`);
      const grouping = keys.length ? ` GROUP BY ${query.groupBy.map((_, index) => `k${index}`).join(', ')}` : '';
      if (query.metric === 'median_minutes_to_first_reply') {
        where.push('t.first_reply_ms IS NOT NULL');
        const raw = run(
          `SELECT ${[...keys, 't.first_reply_ms AS wait'].join(', ')} FROM analytics_threads t WHERE ${where.join(' AND ')}`,
          params,
        );
        const groups = new Map<string, { keys: Record<string, unknown>; waits: number[] }>();
        for (const row of raw) {
          const id = query.groupBy.map((_, index) => String(row[`k${index}`])).join('\u0000');
          const group = groups.get(id) ?? { keys: row, waits: [] };
          group.waits.push(Number(row.wait));
          groups.set(id, group);
        }
        return toRows(
          [...groups.values()].map((group) => ({ ...group.keys, value: median(group.waits) / 60_000 })),
          query.groupBy,
        );
      }
      const value = {
        threads: 'COUNT(*)',
        avg_replies_per_thread: 'AVG(t.replies)',
        avg_participants_per_thread: 'AVG(t.participants)',
      }[query.metric as 'threads' | 'avg_replies_per_thread' | 'avg_participants_per_thread'];
      // An ungrouped aggregate over no thread is one row of NULL: no threads in scope means no rows, not an average of 0.
      const having = keys.length ? '' : ' HAVING COUNT(*) > 0';
      return toRows(
        run(`SELECT ${[...keys, `${value} AS value`].join(', ')} FROM analytics_threads t WHERE ${where.join(' AND ')}${grouping}${having}`, params),
        query.groupBy,
      );
    },

    /** Individual threads, deepest (or slowest answered) first. */
    threads(query: ThreadListQuery): ThreadRow[] {
      if (query.channelIds.length === 0) return [];
      const params: unknown[] = [];
      const where = scope(query, 't', params);
      if (query.linkKinds?.length) where.push(`(t.link_mask & ${maskOf(query.linkKinds)}) <> 0`);
      const order = {
        replies: 't.replies DESC, t.participants DESC',
        participants: 't.participants DESC, t.replies DESC',
        slowest_first_reply: 't.first_reply_ms IS NULL, t.first_reply_ms DESC',
      }[query.order];
      params.push(query.limit);
      return run(
        `SELECT t.channel_id AS channelId, t.thread_ts AS threadTs, t.root_author_id AS rootAuthorId,
           t.root_is_question AS rootIsQuestion, t.replies, t.participants, t.first_reply_ms AS firstReplyMs, t.link_mask AS linkMask
         FROM analytics_threads t WHERE ${where.join(' AND ')} ORDER BY ${order}, t.ts_ms LIMIT ?`,
        params,
      ).map((row) => ({ ...(row as unknown as ThreadRow), rootIsQuestion: Boolean(row.rootIsQuestion) }));
    },

    /** The channels with figures, split into those in `channelIds` and those left out. */
    channelsWithFigures(teamId: string, channelIds: readonly string[]): { inScope: string[]; leftOut: string[] } {
      const scope = new Set(channelIds);
      const withData = prepared('SELECT DISTINCT channel_id FROM analytics_channel_days WHERE team_id = ?').pluck().all(teamId) as string[];
      return { inScope: withData.filter((id) => scope.has(id)), leftOut: withData.filter((id) => !scope.has(id)) };
    },

    /** Day range with any stored message, for "data covers …" notes. */
    coverage(teamId: string): { fromDay: number; toDay: number; messages: number } | undefined {
      const row = prepared(
        'SELECT MIN(day) AS fromDay, MAX(day) AS toDay, COUNT(*) AS messages FROM analytics_messages WHERE team_id = ?',
      ).get(teamId) as { fromDay: number | null; toDay: number | null; messages: number };
      return row.fromDay === null || row.toDay === null ? undefined : { fromDay: row.fromDay, toDay: row.toDay, messages: row.messages };
    },

    /** Distinct people with any stored activity (for find_person over pseudonyms). */
    knownPeople(teamId: string): string[] {
      return personFigures({ teamId, value: 'messages', groupBy: ['person'], channelIds: null, fromDay: 0, toDay: Number.MAX_SAFE_INTEGER }).map(
        (row) => row.keys.person as string,
      );
    },
  };
}

export function maskOf(kinds: readonly LinkKind[]): number {
  return kinds.reduce((mask, kind) => mask | (1 << LINK_KINDS.indexOf(kind)), 0);
}

export function kindsOfMask(mask: number): LinkKind[] {
  return LINK_KINDS.filter((_, bit) => (mask & (1 << bit)) !== 0);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export type AnalyticsQueries = ReturnType<typeof createAnalyticsQueries>;
