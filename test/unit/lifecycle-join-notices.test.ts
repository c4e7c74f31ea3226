/** The channel join notice: posted once per channel whatever announces it, off when an admin says so, and honest about the settings. */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ANALYTICS_SETTINGS, type AnalyticsSettings } from '../../src/analytics/analytics-settings.ts';
import { openDatabase, type OpenedDatabase } from '../../src/db/open-database.ts';
import { createWorkspaceSettingsStore } from '../../src/db/workspace-settings-store.ts';
import { describeJoinNotice } from '../../src/lifecycle/join-notice-text.ts';
import { JoinNotices } from '../../src/lifecycle/join-notices.ts';
import { createLifecycleStore } from '../../src/db/workspace-lifecycle-store.ts';
import { createLogger } from '../../src/logger.ts';

const TEAM = 'T0ACME';
const opened: OpenedDatabase[] = [];
afterEach(() => {
  for (const database of opened.splice(0)) database.close();
});

function aWorld(options: { settings?: Partial<AnalyticsSettings>; failPosts?: number; connected?: boolean } = {}) {
  const database = openDatabase(':memory:');
  opened.push(database);
  const posts: { channel: string; text: string }[] = [];
  let failures = options.failPosts ?? 0;
  const settings = createWorkspaceSettingsStore(database.db);
  const notices = new JoinNotices({
    store: createLifecycleStore(database.db),
    settings,
    analyticsSettings: () => ({ ...DEFAULT_ANALYTICS_SETTINGS, ...options.settings }),
    post: async (_team, channel, text) => {
      // Slack answers later than the second path asks: both are in flight at once.
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (failures > 0) {
        failures -= 1;
        throw new Error('not_in_channel');
      }
      posts.push({ channel, text });
      return `1700000000.00000${posts.length}`;
    },
    isConnected: () => options.connected ?? true,
    logger: createLogger({ level: 'error', sink: () => undefined }),
  });
  return { notices, posts, settings, database };
}

describe('JoinNotices.announce', () => {
  it('posts one notice when the invitation and the auto-join announce the same join at once', async () => {
    const { notices, posts } = aWorld();
    const results = await Promise.all([
      notices.announce(TEAM, { id: 'C1', type: 'C' }, 'auto_joined'),
      notices.announce(TEAM, { id: 'C1', type: 'channel' }, 'auto_joined'),
    ]);
    expect(results.sort()).toEqual([false, true]);
    expect(posts).toHaveLength(1);
  });

  it('never posts twice in a channel: the notice is recorded in SQLite, with its ts', async () => {
    const { notices, posts, database } = aWorld();
    await notices.announce(TEAM, { id: 'C1', type: 'C' }, 'invited');
    const rows = database.db.$client.prepare('SELECT channel_id, reason, message_ts FROM join_notices').all();
    expect(rows).toEqual([{ channel_id: 'C1', reason: 'invited', message_ts: '1700000000.000001' }]);
    expect(await notices.announce(TEAM, { id: 'C1', type: 'C' }, 'invited')).toBe(false);
    expect(posts).toHaveLength(1);
  });

  it('posts nothing when an admin turned notices off, and again once they are back on', async () => {
    const { notices, posts } = aWorld();
    notices.setEnabled(TEAM, false, 'U0ADMIN');
    expect(notices.enabled(TEAM)).toBe(false);
    expect(await notices.announce(TEAM, { id: 'C1', type: 'C' }, 'invited')).toBe(false);
    notices.setEnabled(TEAM, true, 'U0ADMIN');
    expect(await notices.announce(TEAM, { id: 'C2', type: 'G' }, 'invited')).toBe(true);
    expect(posts.map((post) => post.channel)).toEqual(['C2']);
  });

  it('never posts in a DM or group DM', async () => {
    const { notices, posts } = aWorld();
    expect(await notices.announce(TEAM, { id: 'D1' }, 'invited')).toBe(false);
    expect(await notices.announce(TEAM, { id: 'G1', type: 'mpim' }, 'invited')).toBe(false);
    expect(await notices.announce(TEAM, { id: 'C1', type: 'im' }, 'invited')).toBe(false);
    expect(posts).toEqual([]);
  });

  it('forgets a notice Slack refused, so the next join posts it', async () => {
    const { notices, posts } = aWorld({ failPosts: 1 });
    expect(await notices.announce(TEAM, { id: 'C1', type: 'C' }, 'invited')).toBe(false);
    expect(await notices.announce(TEAM, { id: 'C1', type: 'C' }, 'invited')).toBe(true);
    expect(posts).toHaveLength(1);
  });

  it('posts nothing for a disconnected workspace', async () => {
    const { notices, posts } = aWorld({ connected: false });
    expect(await notices.announce(TEAM, { id: 'C1', type: 'C' }, 'invited')).toBe(false);
    expect(posts).toEqual([]);
  });
});

describe('describeJoinNotice', () => {
  it('says by default: metadata, not text; channel figures for members; per-person figures for admins; how to remove Pulse', () => {
    const text = describeJoinNotice(DEFAULT_ANALYTICS_SETTINGS, 'invited');
    expect(text).toMatch(/I was added to this channel/);
    expect(text).toMatch(/message metadata .*\*not what you write\*/);
    expect(text).toMatch(/members of this channel can ask me for its figures/);
    expect(text).toMatch(/Per-person figures are for Pulse admins only/);
    expect(text).toMatch(/`\/remove @Pulse`.*App Home/);
    expect(text).not.toMatch(/text of messages/);
  });

  it('says what an admin changed: text storage, pseudonyms, per-person figures for everyone, a paused sync, an auto-join', () => {
    const text = describeJoinNotice(
      { ...DEFAULT_ANALYTICS_SETTINGS, storeText: true, pseudonymize: true, personFiguresFor: 'everyone', enabled: false },
      'auto_joined',
    );
    expect(text).toMatch(/its name matches the analytics pattern an admin set/);
    expect(text).toMatch(/\*and the text of messages\*, because an admin turned on message text storage/);
    expect(text).toMatch(/stored as pseudonyms/);
    expect(text).toMatch(/Per-person figures are visible to everyone/);
    expect(text).toMatch(/Analytics is paused/);
    expect(text).not.toMatch(/not what you write/);
  });
});
