/**
 * A seeded analytics workspace synced by the real Pulse the way an admin does
 * it: the auto-join pattern saved in App Home (pseudonyms on, if asked), then
 * Sync now, waited for until the Home tab says it finished. Shared by the
 * export and people-summary end-to-end tests.
 */
import { ACTION_ID, BLOCK_ID } from '../../src/slack/ids.ts';
import type { AnalyticsWorld, ChannelName } from './analytics-world-shape.ts';
import { seedAnalyticsWorld } from './analytics-world.ts';
import { startHarness, type Harness } from './pulse-harness.ts';

export function homeText(h: Harness, userId: string): string {
  return JSON.stringify(h.emulator.homeView(userId)?.view ?? {});
}

/** YYYY-MM-DD of an epoch ms, UTC (the tools' date format). */
export const utcDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export interface SyncedAnalyticsOptions {
  pseudonymize?: boolean;
  /** Told the harness as soon as it runs, so the test's afterEach stops it even when the sync times out. */
  onStarted: (h: Harness) => void;
}

/** The world's admin is ada, added to #eng-help as well as her own channels. */
export async function startSyncedAnalytics(options: SyncedAnalyticsOptions): Promise<{ h: Harness; world: AnalyticsWorld; admin: string }> {
  const h = await startHarness({ env: { ANALYTICS_CALLS_PER_MINUTE: '10000' } });
  options.onStarted(h);
  const { emulator } = h;
  const world = seedAnalyticsWorld(emulator);
  const admin = world.users.ada;
  emulator.addMembers(world.channels['eng-help'], [admin]);
  emulator.openHome(admin);
  await emulator.waitFor(() => homeText(h, admin).includes('Workspace analytics'), { what: 'the admin Home tab' });
  emulator.clickButton(admin, { viewId: emulator.homeView(admin)?.id as string }, { actionId: ACTION_ID.editAnalytics });
  await emulator.waitFor(() => emulator.openModals(admin).length > 0, { what: 'the analytics settings modal' });
  await emulator.submitView(admin, emulator.openModals(admin)[0]?.id as string, {
    [BLOCK_ID.autoJoinPattern]: { [ACTION_ID.autoJoinPatternInput]: world.autoJoinPattern },
    ...(options.pseudonymize ? { [BLOCK_ID.pseudonymize]: { [ACTION_ID.pseudonymizeSelect]: 'true' } } : {}),
  });
  emulator.clickButton(admin, { viewId: emulator.homeView(admin)?.id as string }, { actionId: ACTION_ID.syncNow });
  await emulator.waitFor(() => homeText(h, admin).includes('Last sync (manual) finished'), { what: 'the finished sync', timeoutMs: 60_000 });
  return { h, world, admin };
}

/** The synced channels a person is a member of: what their figures count. */
export function syncedChannelsOf(h: Harness, world: AnalyticsWorld, userId: string): ChannelName[] {
  return world.syncedChannels.filter((name) => h.emulator.workspace.requireConversation(world.channels[name]).members.has(userId));
}
