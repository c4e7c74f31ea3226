/**
 * The transparency notice, as a channel's members see it: Pulse posts one
 * short notice when it is invited or joins by the analytics pattern, never a
 * second one (redelivered events, both join paths at once, a restart, a
 * remove and re-add), and none when an admin turned notices off.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../src/emulator/driver.ts';
import { ACTION_ID, BLOCK_ID, VIEW_ID } from '../../src/slack/ids.ts';
import { startFakeLlm } from '../support/fake-llm.ts';
import { manifestBotEvents, settle, startHarness, type Harness } from '../support/pulse-harness.ts';

const NOTICE = /Hi, I’m Pulse/;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const harness = await startHarness({ env: { ANALYTICS_CALLS_PER_MINUTE: '10000' }, ...options });
  cleanups.push(() => harness.stop());
  return harness;
}

/** Pulse's notices in a channel, as its members see them. */
function notices(emulator: SlackEmulator, channel: string) {
  return emulator.messages(channel).filter((message) => message.user === emulator.botUserId && NOTICE.test(message.text));
}

/** A public channel Pulse is not in, with people in it. */
function aChannel(emulator: SlackEmulator, name: string) {
  const { admin, alice, bob } = emulator.seed;
  return emulator.createChannel({ name, kind: 'public', members: [admin.id, alice.id, bob.id] });
}

/** Someone adds Pulse to the channel (/invite @Pulse): Slack sends member_joined_channel with the inviter. */
function invite(emulator: SlackEmulator, channel: string, inviter = emulator.seed.alice.id) {
  emulator.workspace.join(channel, emulator.botUserId, inviter);
}

function homeText(h: Harness, userId: string): string {
  return JSON.stringify(h.emulator.homeView(userId)?.view ?? {});
}

async function openAdminHome(h: Harness): Promise<string> {
  const adminId = h.emulator.seed.admin.id;
  h.emulator.openHome(adminId);
  await h.emulator.waitFor(() => homeText(h, adminId).includes('Channel join notice'), { what: 'the admin Home tab' });
  return h.emulator.homeView(adminId)?.id as string;
}

async function openModal(h: Harness, actionId: string, callbackId: string) {
  const adminId = h.emulator.seed.admin.id;
  const viewId = await openAdminHome(h);
  h.emulator.clickButton(adminId, { viewId }, { actionId });
  return h.emulator.waitFor(() => h.emulator.openModals(adminId).find((modal) => modal.view.callback_id === callbackId), {
    what: `the ${callbackId} modal`,
  });
}

describe('the join notice', () => {
  it('is posted once when someone invites Pulse, saying what it reads, who sees figures and how to remove it', async () => {
    const h = await start();
    const channel = aChannel(h.emulator, 'design');

    invite(h.emulator, channel.id);

    const [notice] = await h.emulator.waitFor(() => notices(h.emulator, channel.id).length > 0 && notices(h.emulator, channel.id), {
      what: 'the join notice',
    });
    expect(notice?.text).toMatch(/I was added to this channel/);
    expect(notice?.text).toMatch(/message metadata .*not what you write/);
    expect(notice?.text).toMatch(/Per-person figures are for Pulse admins only/);
    expect(notice?.text).toMatch(/`\/remove @Pulse`/);
    // Slack redelivers an event now and then: the same join announced again posts nothing.
    h.emulator.deliverEvent('member_joined_channel', {
      type: 'member_joined_channel',
      user: h.emulator.botUserId,
      channel: channel.id,
      channel_type: 'C',
      team: h.emulator.workspace.team.id,
      inviter: h.emulator.seed.alice.id,
      event_ts: h.emulator.workspace.nextTs(),
    });
    await settle();
    expect(notices(h.emulator, channel.id)).toHaveLength(1);
  });

  it('is posted once when Pulse auto-joins by the analytics pattern, though the join event and the sync both announce it', async () => {
    const h = await start();
    const channel = aChannel(h.emulator, 'eng-help');
    const adminId = h.emulator.seed.admin.id;
    const settings = await openModal(h, ACTION_ID.editAnalytics, VIEW_ID.analyticsSettings);
    await h.emulator.submitView(adminId, settings.id, { [BLOCK_ID.autoJoinPattern]: { [ACTION_ID.autoJoinPatternInput]: '^eng-' } });
    const viewId = await openAdminHome(h);

    h.emulator.clickButton(adminId, { viewId }, { actionId: ACTION_ID.syncNow });

    await h.emulator.waitFor(() => h.emulator.callsTo('conversations.join').some((call) => call.params.channel === channel.id), {
      what: 'the auto-join',
    });
    const [notice] = await h.emulator.waitFor(() => notices(h.emulator, channel.id).length > 0 && notices(h.emulator, channel.id), {
      what: 'the join notice',
      timeoutMs: 30_000,
    });
    expect(notice?.text).toMatch(/its name matches the analytics pattern an admin set/);
    // Both paths ran: the member_joined_channel event and the sync's own announcement.
    await h.emulator.waitFor(() => homeText(h, adminId).includes('Last sync (manual) finished'), { what: 'the sync to finish', timeoutMs: 30_000 });
    await settle();
    expect(notices(h.emulator, channel.id)).toHaveLength(1);
    expect(h.emulator.callsTo('chat.postMessage').filter((call) => call.params.channel === channel.id)).toHaveLength(1);
  });

  it('is not posted when an admin turned it off in App Home', async () => {
    const h = await start();
    const modal = await openModal(h, ACTION_ID.editJoinNotice, VIEW_ID.joinNotice);
    expect(JSON.stringify(modal.view)).toMatch(/Hi, I’m Pulse/);
    const ack = await h.emulator.submitView(h.emulator.seed.admin.id, modal.id, { [BLOCK_ID.joinNotice]: { [ACTION_ID.joinNoticeSelect]: 'false' } });
    expect(ack?.response_action).toBeUndefined();
    await h.emulator.waitFor(() => homeText(h, h.emulator.seed.admin.id).includes('Channel join notices are off'), { what: 'the saved notice setting' });
    const channel = aChannel(h.emulator, 'quiet');

    invite(h.emulator, channel.id);

    await settle();
    expect(notices(h.emulator, channel.id)).toEqual([]);
  });

  it('refuses a member’s forged change of the setting', async () => {
    const h = await start();
    const modal = await openModal(h, ACTION_ID.editJoinNotice, VIEW_ID.joinNotice);

    const ack = await h.emulator.submitView(h.emulator.seed.alice.id, modal.id, { [BLOCK_ID.joinNotice]: { [ACTION_ID.joinNoticeSelect]: 'false' } });

    expect(ack?.response_action).toBe('errors');
    const channel = aChannel(h.emulator, 'still-announced');
    invite(h.emulator, channel.id);
    await h.emulator.waitFor(() => notices(h.emulator, channel.id).length === 1, { what: 'the join notice' });
  });

  it('is not posted again after a restart, even when Pulse is removed and invited back', async () => {
    const emulator = await startSlackEmulator({ subscribedEvents: manifestBotEvents() });
    const llm = await startFakeLlm();
    const dataDir = mkdtempSync(join(tmpdir(), 'pulse-notice-'));
    cleanups.push(
      () => emulator.stop(),
      () => llm.close(),
      () => rmSync(dataDir, { recursive: true, force: true }),
    );
    const first = await startHarness({ reuse: { emulator, llm, dataDir } });
    const channel = aChannel(emulator, 'ops');
    invite(emulator, channel.id);
    await emulator.waitFor(() => notices(emulator, channel.id).length === 1, { what: 'the first notice' });
    await first.stop();

    const second = await startHarness({ reuse: { emulator, llm, dataDir } });
    cleanups.push(() => second.stop());
    // Someone runs /remove @Pulse, then invites it back.
    emulator.workspace.requireConversation(channel.id).members.delete(emulator.botUserId);
    invite(emulator, channel.id, emulator.seed.bob.id);

    await settle();
    expect(notices(emulator, channel.id)).toHaveLength(1);
  });
});
