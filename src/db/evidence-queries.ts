/**
 * The threads behind one person's signals, for evidence-cited people
 * summaries: the threads they started (analytics_threads, by the root's day)
 * and the threads they gave help replies in (analytics_messages flagged
 * is_help_reply, by the reply's day), each with the thread's depth. Metadata
 * only: no stored text is read.
 */
import type { PulseDatabase } from './open-database.ts';
import { createStatementCache, sqlInList } from './sql-statements.ts';

export interface PersonThreadQuery {
  teamId: string;
  /** A Slack user id, or a pseudonym where the workspace stores pseudonyms. */
  personId: string;
  /** Channels counted (already limited to what the asker may see). */
  channelIds: readonly string[];
  /** UTC day numbers, fromDay ≤ day < toDay. */
  fromDay: number;
  toDay: number;
  limit: number;
}

export interface PersonThread {
  channelId: string;
  threadTs: string;
  /** The root's time, epoch ms. */
  rootMs: number;
  /** 'started': the person wrote the root; 'help_reply': they answered someone else's question in it. */
  role: 'started' | 'help_reply';
  /** The person's help replies in the thread (0 for a thread they started). */
  helpReplies: number;
  replies: number;
  participants: number;
  rootIsQuestion: boolean;
}

export interface PersonThreadsResult {
  /** The most relevant threads first: deepest, then most people, then newest. */
  threads: PersonThread[];
  /** Every thread that matched, before the limit. */
  total: number;
}

export function createEvidenceQueries(db: PulseDatabase) {
  const prepared = createStatementCache(db.$client);

  return {
    personThreads(query: PersonThreadQuery): PersonThreadsResult {
      if (query.channelIds.length === 0 || query.limit < 1) return { threads: [], total: 0 };
      const startedParams: unknown[] = [query.teamId, query.personId, query.fromDay, query.toDay];
      const started = prepared(
        `SELECT t.channel_id AS channelId, t.thread_ts AS threadTs, t.ts_ms AS rootMs, t.replies, t.participants,
           t.root_is_question AS rootIsQuestion
         FROM analytics_threads t
         WHERE t.team_id = ? AND t.root_author_id = ? AND t.day >= ? AND t.day < ? AND ${sqlInList('t.channel_id', query.channelIds, startedParams)}`,
      ).all(...startedParams) as Omit<PersonThread, 'role' | 'helpReplies'>[];
      const helpedParams: unknown[] = [query.teamId, query.personId, query.fromDay, query.toDay];
      const helped = prepared(
        `SELECT t.channel_id AS channelId, t.thread_ts AS threadTs, t.ts_ms AS rootMs, t.replies, t.participants,
           t.root_is_question AS rootIsQuestion, h.help_replies AS helpReplies
         FROM (
           SELECT m.channel_id, m.thread_ts, COUNT(*) AS help_replies FROM analytics_messages m
           WHERE m.team_id = ? AND m.author_id = ? AND m.is_help_reply = 1 AND m.day >= ? AND m.day < ?
             AND ${sqlInList('m.channel_id', query.channelIds, helpedParams)}
           GROUP BY m.channel_id, m.thread_ts
         ) h
         JOIN analytics_threads t ON t.team_id = ? AND t.channel_id = h.channel_id AND t.thread_ts = h.thread_ts`,
      ).all(...helpedParams, query.teamId) as Omit<PersonThread, 'role'>[];
      const threads: PersonThread[] = [
        ...started.map((row) => ({ ...row, role: 'started' as const, helpReplies: 0, rootIsQuestion: Boolean(row.rootIsQuestion) })),
        ...helped.map((row) => ({ ...row, role: 'help_reply' as const, rootIsQuestion: Boolean(row.rootIsQuestion) })),
      ];
      threads.sort(
        (a, b) =>
          b.replies - a.replies ||
          b.participants - a.participants ||
          b.rootMs - a.rootMs ||
          (a.channelId < b.channelId ? -1 : a.channelId > b.channelId ? 1 : 0),
      );
      return { threads: threads.slice(0, query.limit), total: threads.length };
    },
  };
}

export type EvidenceQueries = ReturnType<typeof createEvidenceQueries>;
