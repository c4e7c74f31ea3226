import { afterEach, describe, expect, it } from 'vitest';
import { extractMessageMetadata } from '../../src/analytics/message-metadata.ts';
import { toStoredMessage } from '../../src/analytics/stored-message.ts';
import { createAnalyticsQueries } from '../../src/db/analytics-queries.ts';
import { createAnalyticsStore } from '../../src/db/analytics-store.ts';
import { openDatabase, type OpenedDatabase } from '../../src/db/open-database.ts';

let database: OpenedDatabase | undefined;
afterEach(() => database?.close());

const stored = (ts: string, text: string) =>
  toStoredMessage(extractMessageMetadata({ ts, user: 'U1', text }, { teamId: 'T1', channelId: 'C1', storeText: false }));

describe('writeMessages batches', () => {
  it('writes a message listed twice in one batch once, keeping its last version', () => {
    database = openDatabase(':memory:');
    const store = createAnalyticsStore(database.db);
    const queries = createAnalyticsQueries(database.db);

    store.writeMessages('T1', [
      stored('1763000000.000100', 'see <https://github.com/a/b/pull/1>'),
      stored('1763000000.000100', 'see <https://github.com/a/b/pull/1> and <https://linear.app/x/issue/X-1>'),
    ]);

    const day = Math.floor(1_763_000_000 / 86_400);
    const query = { teamId: 'T1', channelIds: ['C1'], fromDay: day, toDay: day + 1 };
    expect(queries.metric({ ...query, metric: 'messages', groupBy: [] })).toEqual([{ keys: {}, value: 1 }]);
    expect(queries.metric({ ...query, metric: 'links', groupBy: ['link_kind'] })).toEqual([
      { keys: { link_kind: 'github_pr' }, value: 1 },
      { keys: { link_kind: 'linear' }, value: 1 },
    ]);
  });

  it('keeps derived figures pending until rebuilt when a write defers, and loses none of them', () => {
    database = openDatabase(':memory:');
    const store = createAnalyticsStore(database.db);
    const queries = createAnalyticsQueries(database.db);
    const day = Math.floor(1_763_000_000 / 86_400);
    const query = { teamId: 'T1', channelIds: ['C1'], fromDay: day, toDay: day + 1, metric: 'messages' as const, groupBy: [] };

    store.writeMessages('T1', [stored('1763000000.000100', 'one'), stored('1763000001.000100', 'two')], { deferRebuild: true });
    expect(store.rowCounts('T1').analytics_dirty_days).toBe(1);
    // Stored, but not yet in the daily sums the metrics read.
    expect(store.rowCounts('T1').analytics_messages).toBe(2);
    expect(queries.metric(query)).toEqual([{ keys: {}, value: 0 }]);

    store.rebuildPending('T1');
    expect(queries.metric(query)).toEqual([{ keys: {}, value: 2 }]);
    expect(store.rowCounts('T1').analytics_dirty_days).toBe(0);
  });
});
