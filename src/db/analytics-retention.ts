/**
 * A workspace's analytics rows as a whole: what they are (ANALYTICS_TABLES),
 * how many, and taking them back — retention's prune by day, erasing stored
 * text, deleting everything. Part of the analytics store (analytics-store.ts
 * spreads these into it); the prune runs in the store's batch, so the derived
 * rows it leaves behind are rebuilt in the same transaction.
 */
import type { Database } from 'better-sqlite3';

/** Every analytics table, the messages first (purge counts what it removed from them). */
export const ANALYTICS_TABLES = [
  'analytics_messages',
  'analytics_links',
  'analytics_threads',
  'analytics_channel_days',
  'analytics_person_days',
  'analytics_dirty_threads',
  'analytics_dirty_days',
  'analytics_people',
  'analytics_channels',
] as const;

/** Runs `work` in one transaction and rebuilds what it marked dirty (the store's inBatch). */
type InBatch = (teamId: string, work: () => void) => void;

export function createAnalyticsRetention(sqlite: Database, inBatch: InBatch) {
  const statement = (sql: string) => sqlite.prepare(sql);
  const selectChannelsWithData = statement(`
    SELECT channel_id AS channelId FROM analytics_channels WHERE team_id = @teamId
    UNION SELECT channel_id FROM analytics_dirty_days WHERE team_id = @teamId
    UNION SELECT DISTINCT channel_id FROM analytics_channel_days WHERE team_id = @teamId`);
  const pruneMessages = statement('DELETE FROM analytics_messages WHERE team_id = ? AND channel_id = ? AND ts < ?');
  const orphanedThreads = statement(`
    INSERT OR IGNORE INTO analytics_dirty_threads (team_id, channel_id, thread_ts)
    SELECT DISTINCT team_id, channel_id, thread_ts FROM analytics_messages
    WHERE team_id = ? AND channel_id = ? AND thread_ts < ? AND is_reply`);
  // Tables whose key or index leads with the day (links, day sums, dirty marks).
  const pruneByDay = ['analytics_links', 'analytics_channel_days', 'analytics_person_days', 'analytics_dirty_days'].map(
    (table) => statement(`DELETE FROM ${table} WHERE team_id = ? AND day < ?`),
  );
  const pruneThreads = statement('DELETE FROM analytics_threads WHERE team_id = ? AND ts_ms < ?');

  return {
    /**
     * Deletes stored messages from UTC days before `beforeDay` and everything
     * derived from them; replies whose root went are no longer help replies.
     * Returns the messages removed.
     */
    pruneBefore(teamId: string, beforeDay: number): number {
      let removed = 0;
      const cutoffTs = String(beforeDay * 86_400);
      inBatch(teamId, () => {
        // Per channel, so each delete is a range of a (team, channel, ts…) key rather than a scan of the workspace.
        for (const { channelId } of selectChannelsWithData.all({ teamId }) as { channelId: string }[]) {
          removed += pruneMessages.run(teamId, channelId, cutoffTs).changes;
          // What is left of a thread whose root went: its replies stop being help replies.
          orphanedThreads.run(teamId, channelId, cutoffTs);
        }
        for (const prune of pruneByDay) prune.run(teamId, beforeDay);
        pruneThreads.run(teamId, beforeDay * 86_400_000);
      });
      return removed;
    },

    /** Erases stored message text (content storage turned off); metadata stays. */
    eraseText(teamId: string): void {
      sqlite.prepare('UPDATE analytics_messages SET text = NULL WHERE team_id = ? AND text IS NOT NULL').run(teamId);
    },

    /** Every analytics row of the workspace, sync state included. Returns the messages removed. */
    purge(teamId: string): number {
      let removed = 0;
      sqlite.transaction(() => {
        removed = sqlite.prepare('DELETE FROM analytics_messages WHERE team_id = ?').run(teamId).changes;
        for (const table of ANALYTICS_TABLES.slice(1)) {
          sqlite.prepare(`DELETE FROM ${table} WHERE team_id = ?`).run(teamId);
        }
      })();
      return removed;
    },

    /** Rows per table for the workspace (App Home, purge confirmations, tests). */
    rowCounts(teamId: string): Record<string, number> {
      const counts: Record<string, number> = {};
      for (const table of ANALYTICS_TABLES) {
        counts[table] = (sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE team_id = ?`).get(teamId) as { n: number }).n;
      }
      return counts;
    },
  };
}
