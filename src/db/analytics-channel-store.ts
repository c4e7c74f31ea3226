/** Channels the analytics sync knows, and where each one's sync stands (so a crash resumes where it stopped). */
import { and, asc, eq } from 'drizzle-orm';
import type { PulseDatabase } from './open-database.ts';
import { analyticsChannels } from './schema.ts';

export type AnalyticsChannel = typeof analyticsChannels.$inferSelect;

export interface SeenChannel {
  channelId: string;
  name: string;
  isPrivate: boolean;
  isArchived: boolean;
  isMember: boolean;
}

export function createAnalyticsChannelStore(db: PulseDatabase, now: () => Date = () => new Date()) {
  const byKey = (teamId: string, channelId: string) =>
    and(eq(analyticsChannels.teamId, teamId), eq(analyticsChannels.channelId, channelId));
  const update = (teamId: string, channelId: string, values: Partial<AnalyticsChannel>) =>
    db.update(analyticsChannels).set({ ...values, updatedAt: now() }).where(byKey(teamId, channelId)).run();

  return {
    /** Records what conversations.list (or an event) says of a channel; sync progress is kept. */
    saveSeen(teamId: string, channel: SeenChannel): void {
      const values = {
        name: channel.name,
        isPrivate: channel.isPrivate,
        isArchived: channel.isArchived,
        isMember: channel.isMember,
        updatedAt: now(),
      };
      db.insert(analyticsChannels)
        .values({ teamId, channelId: channel.channelId, ...values })
        .onConflictDoUpdate({ target: [analyticsChannels.teamId, analyticsChannels.channelId], set: values })
        .run();
    },

    setMembership(teamId: string, channelId: string, isMember: boolean): void {
      update(teamId, channelId, { isMember });
    },

    markAutoJoined(teamId: string, channelId: string): void {
      update(teamId, channelId, { isMember: true, autoJoinedAt: now() });
    },

    list(teamId: string): AnalyticsChannel[] {
      return db.select().from(analyticsChannels).where(eq(analyticsChannels.teamId, teamId)).orderBy(asc(analyticsChannels.name)).all();
    },

    get(teamId: string, channelId: string): AnalyticsChannel | undefined {
      return db.select().from(analyticsChannels).where(byKey(teamId, channelId)).get();
    },

    startSync(teamId: string, channelId: string): void {
      update(teamId, channelId, { status: 'syncing', lastSyncStartedAt: now(), lastSyncError: null });
    },

    /** A history pass over [oldestTs, latestTs]; its cursor is saved after every stored page. */
    startPass(teamId: string, channelId: string, oldestTs: string, latestTs: string): void {
      update(teamId, channelId, { passOldestTs: oldestTs, passLatestTs: latestTs, passCursor: null });
    },

    savePassCursor(teamId: string, channelId: string, cursor: string): void {
      update(teamId, channelId, { passCursor: cursor });
    },

    /** The pass read every page: its range is now covered. */
    finishPass(teamId: string, channelId: string, coveredFromTs: string, coveredToTs: string): void {
      update(teamId, channelId, { coveredFromTs, coveredToTs, passOldestTs: null, passLatestTs: null, passCursor: null });
    },

    finishSync(teamId: string, channelId: string, messages: number): void {
      update(teamId, channelId, { status: 'synced', lastSyncFinishedAt: now(), lastSyncMessages: messages, lastSyncError: null });
    },

    failSync(teamId: string, channelId: string, messages: number, error: string): void {
      update(teamId, channelId, { status: 'failed', lastSyncFinishedAt: now(), lastSyncMessages: messages, lastSyncError: error });
    },
  };
}

export type AnalyticsChannelStore = ReturnType<typeof createAnalyticsChannelStore>;
