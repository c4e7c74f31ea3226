/**
 * Taking everything back: App Home's "Disconnect Pulse", Slack's
 * tokens_revoked and app_uninstalled. Each leaves no row of the workspace in
 * any table (every table with team_id, found from sqlite_master, so a table
 * added later is checked too) and another workspace's rows as they were. The
 * admin's disconnect ends with auth.revoke; the events make no Slack call at
 * all, since the tokens no longer work.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.ts';
import { ACTION_ID, BLOCK_ID, VIEW_ID } from '../../src/slack/ids.ts';
import { countTeamRows, seedTeamRows } from '../support/lifecycle-rows.ts';
import { settle, startHarness, waitForAnswer, type Harness } from '../support/pulse-harness.ts';

const OTHER_TEAM = 'T0OTHERTEAM';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

function withDatabase<T>(h: Harness, use: (sqlite: ReturnType<typeof openDatabase>['db']['$client']) => T): T {
  const database = openDatabase(h.config.databasePath);
  try {
    return use(database.db.$client);
  } finally {
    database.close();
  }
}

const rowsOf = (h: Harness, teamId: string) => withDatabase(h, (sqlite) => countTeamRows(sqlite, teamId));
const isEmpty = (rows: Record<string, number>) => Object.values(rows).every((count) => count === 0);

/**
 * A workspace that has used Pulse: a question answered, Pulse invited to a
 * channel (its notice, the channel's sync), and another workspace's rows in
 * every table of the same database.
 */
async function aWorkspaceInUse(): Promise<{ h: Harness; teamId: string; otherBefore: Record<string, number> }> {
  const h = await startHarness({ env: { ANALYTICS_CALLS_PER_MINUTE: '10000' } });
  harness = h;
  const { emulator } = h;
  const teamId = emulator.workspace.team.id;
  await waitForAnswer(h, emulator.dm(emulator.seed.alice.id, 'hello'));
  const channel = emulator.createChannel({ name: 'design', kind: 'public', members: [emulator.seed.alice.id] });
  emulator.workspace.join(channel.id, emulator.botUserId, emulator.seed.alice.id);
  await emulator.waitFor(() => emulator.messages(channel.id).some((message) => /Hi, I’m Pulse/.test(message.text)), { what: 'the join notice' });
  await emulator.waitFor(() => !h.pulse.analyticsSync.isRunning(teamId), { what: 'the joined channel’s sync', timeoutMs: 30_000 });
  await settle();
  withDatabase(h, (sqlite) => seedTeamRows(sqlite, OTHER_TEAM));
  return { h, teamId, otherBefore: rowsOf(h, OTHER_TEAM) };
}

/**
 * A row for the team in every table that has none yet, made from the table's
 * columns (a table added later included). Done just before the deletion:
 * these rows are not meant for Pulse to read.
 */
function fillEveryTable(h: Harness, teamId: string): void {
  withDatabase(h, (sqlite) => seedTeamRows(sqlite, teamId));
  expect(Object.entries(rowsOf(h, teamId)).filter(([, count]) => count === 0)).toEqual([]);
}

function homeText(h: Harness, userId: string): string {
  return JSON.stringify(h.emulator.homeView(userId)?.view ?? {});
}

async function openHome(h: Harness, userId: string, marker: string): Promise<string> {
  h.emulator.openHome(userId);
  await h.emulator.waitFor(() => homeText(h, userId).includes(marker), { what: `the Home tab of ${userId}` });
  return h.emulator.homeView(userId)?.id as string;
}

async function openDisconnectModal(h: Harness) {
  const adminId = h.emulator.seed.admin.id;
  const viewId = await openHome(h, adminId, 'Disconnect Pulse');
  h.emulator.clickButton(adminId, { viewId }, { actionId: ACTION_ID.disconnect });
  return h.emulator.waitFor(() => h.emulator.openModals(adminId).find((modal) => modal.view.callback_id === VIEW_ID.disconnect), {
    what: 'the disconnect modal',
  });
}

const confirmation = (word: string) => ({ [BLOCK_ID.disconnectConfirmation]: { [ACTION_ID.disconnectConfirmationInput]: word } });

describe('Disconnect Pulse in App Home', () => {
  it('deletes every row of the workspace, shows what was deleted, then revokes the bot token', async () => {
    const { h, teamId, otherBefore } = await aWorkspaceInUse();
    const adminId = h.emulator.seed.admin.id;
    const modal = await openDisconnectModal(h);
    const modalText = JSON.stringify(modal.view);
    expect(modalText).toMatch(/What will be deleted/);
    expect(modalText).toMatch(/question records and usage: \*1\*/);
    expect(modalText).toMatch(/channel join-notice records: \*1\*/);
    expect(modalText).toMatch(/workspace record: \*1\*/);
    expect(modalText).toMatch(/scheduled reports: \*0\*/);
    fillEveryTable(h, teamId);

    const wrongWord = await h.emulator.submitView(adminId, modal.id, confirmation('disconnect'));
    expect(wrongWord?.response_action).toBe('errors');
    expect(h.emulator.callsTo('auth.revoke')).toEqual([]);
    const ack = await h.emulator.submitView(adminId, modal.id, confirmation('DISCONNECT'));
    expect(ack?.response_action).toBeUndefined();

    await h.emulator.waitFor(() => h.emulator.callsTo('auth.revoke').length === 1, { what: 'auth.revoke' });
    expect(isEmpty(rowsOf(h, teamId))).toBe(true);
    expect(rowsOf(h, OTHER_TEAM)).toEqual(otherBefore);
    const home = homeText(h, adminId);
    expect(home).toMatch(/Pulse is disconnected/);
    expect(home).toMatch(/question records and usage: \*2\*/);
    expect(home).toMatch(/scheduled reports: \*1\*/);
    expect(home).toMatch(/bot token is being revoked/);
    // The farewell Home tab went out before the token was revoked, and nothing after it.
    const publish = h.emulator.calls.findLastIndex((call) => call.method === 'views.publish');
    const revoke = h.emulator.calls.findIndex((call) => call.method === 'auth.revoke');
    expect(publish).toBeLessThan(revoke);
    expect(h.emulator.calls.slice(revoke + 1).filter((call) => call.token === h.emulator.botToken)).toEqual([]);

    // A DM after the disconnect is not recorded nor answered.
    h.emulator.dm(h.emulator.seed.alice.id, 'are you there?');
    await settle();
    expect(isEmpty(rowsOf(h, teamId))).toBe(true);
    expect(h.emulator.calls.slice(revoke + 1).filter((call) => call.token === h.emulator.botToken)).toEqual([]);
  });

  it('leaves no row behind when an answer still running at the disconnect writes after it', async () => {
    const { h, teamId } = await aWorkspaceInUse();
    const { alice, admin } = h.emulator.seed;
    // Alice's question is with the model when the admin disconnects; the model then has Pulse record her opt-out.
    const requestsBefore = h.llm.requests.length;
    h.llm.script({ toolCalls: [{ name: 'people_summary_opt_out', arguments: { opt_out: true } }], delayMs: 1_500 }, { reply: 'Done.' });
    h.emulator.dm(alice.id, 'leave me out of people summaries');
    await h.llm.waitForRequests(requestsBefore + 1);
    const modal = await openDisconnectModal(h);

    await h.emulator.submitView(admin.id, modal.id, confirmation('DISCONNECT'));

    await h.emulator.waitFor(() => h.emulator.callsTo('auth.revoke').length === 1, { what: 'auth.revoke' });
    await h.emulator.waitFor(() => h.llm.requests.length === requestsBefore + 2, { what: 'the answer to finish its tool call' });
    await settle();
    expect(Object.entries(rowsOf(h, teamId)).filter(([, count]) => count > 0)).toEqual([]);
  });

  // Each statement that meets the lock waits busy_timeout (5 s) before failing; a slow machine may meet several.
  it('tells the admin when the deletion cannot run, deletes and revokes nothing, and can be tried again', { timeout: 90_000 }, async () => {
    const { h, teamId } = await aWorkspaceInUse();
    const adminId = h.emulator.seed.admin.id;
    const before = rowsOf(h, teamId);
    const modal = await openDisconnectModal(h);
    // Another process holds the database's write lock for longer than Pulse waits for it (busy_timeout).
    const blocker = openDatabase(h.config.databasePath);
    blocker.db.$client.exec('BEGIN IMMEDIATE');
    try {
      await h.emulator.submitView(adminId, modal.id, confirmation('DISCONNECT'));
      await h.emulator.waitFor(() => homeText(h, adminId).includes('could not delete this workspace'), {
        what: 'the failure notice',
        timeoutMs: 60_000,
      });
    } finally {
      blocker.db.$client.exec('ROLLBACK');
      blocker.close();
    }
    expect(homeText(h, adminId)).toMatch(/nothing was deleted and the token was not revoked/);
    expect(homeText(h, adminId)).toMatch(/ref [0-9a-f]{8}/);
    expect(h.emulator.callsTo('auth.revoke')).toEqual([]);
    expect(rowsOf(h, teamId)).toEqual(before);

    // Pulse goes on: a question is answered, and a second Disconnect goes through.
    await waitForAnswer(h, h.emulator.dm(h.emulator.seed.alice.id, 'still there?'));
    const again = await openDisconnectModal(h);
    await h.emulator.submitView(adminId, again.id, confirmation('DISCONNECT'));
    await h.emulator.waitFor(() => h.emulator.callsTo('auth.revoke').length === 1, { what: 'auth.revoke' });
    expect(isEmpty(rowsOf(h, teamId))).toBe(true);
  });

  it('keeps the farewell Home tab the last one, even with another publish still on its way to Slack', async () => {
    const { h } = await aWorkspaceInUse();
    const adminId = h.emulator.seed.admin.id;
    const modal = await openDisconnectModal(h);
    // Slack is slow to take a re-published Home tab (a reopened tab, say), and the revocation fails, so the
    // token still works when that slow publish lands.
    h.emulator.faults.delay('views.publish', 1_500, { times: 1 });
    h.emulator.faults.error('auth.revoke', 'internal_error');
    const publishesBefore = h.emulator.callsTo('views.publish').length;
    h.emulator.openHome(adminId);
    await h.emulator.waitFor(() => h.emulator.callsTo('views.publish').length > publishesBefore, { what: 'the slow publish' });

    await h.emulator.submitView(adminId, modal.id, confirmation('DISCONNECT'));
    await h.emulator.waitFor(() => h.emulator.callsTo('auth.revoke').length === 1, { what: 'auth.revoke', timeoutMs: 5_000 });
    // Every publish has been answered.
    await h.emulator.waitFor(() => h.emulator.callsTo('views.publish').every((call) => call.ok || call.error !== undefined), {
      what: 'the publishes to settle',
    });
    await settle();
    expect(homeText(h, adminId)).toMatch(/Pulse is disconnected/);
  });

  it('refuses a member: the button opens nothing and a forged submission deletes nothing', async () => {
    const { h, teamId } = await aWorkspaceInUse();
    const { alice } = h.emulator.seed;
    const aliceHome = await openHome(h, alice.id, 'set up');
    h.emulator.clickButton(alice.id, { viewId: aliceHome }, { actionId: ACTION_ID.disconnect });
    await settle();
    expect(h.emulator.openModals(alice.id)).toEqual([]);
    const modal = await openDisconnectModal(h);

    fillEveryTable(h, teamId);
    const filled = rowsOf(h, teamId);

    const ack = await h.emulator.submitView(alice.id, modal.id, confirmation('DISCONNECT'));

    expect(ack?.response_action).toBe('errors');
    expect(JSON.stringify(ack)).toMatch(/Only Pulse admins/);
    await settle();
    expect(h.emulator.callsTo('auth.revoke')).toEqual([]);
    expect(rowsOf(h, teamId)).toEqual(filled);
    expect(h.logs.some((line) => /refused "disconnect Pulse" from/.test(line))).toBe(true);
  });
});

describe('Slack taking Pulse away', () => {
  /** What Slack does when an admin removes the app: the token stops working, then the events arrive. */
  async function revokeInSlack(h: Harness): Promise<number> {
    const response = await fetch(`${h.emulator.apiUrl}auth.revoke`, { method: 'POST', headers: { authorization: `Bearer ${h.emulator.botToken}` } });
    expect(await response.json()).toMatchObject({ ok: true, revoked: true });
    return h.emulator.calls.length;
  }

  it('tokens_revoked for Pulse’s bot deletes every row of the workspace and calls Slack no more', async () => {
    const { h, teamId, otherBefore } = await aWorkspaceInUse();
    fillEveryTable(h, teamId);
    const callsBefore = await revokeInSlack(h);

    h.emulator.deliverEvent('tokens_revoked', {
      type: 'tokens_revoked',
      tokens: { oauth: [], bot: [h.emulator.botUserId] },
      event_ts: h.emulator.workspace.nextTs(),
    });

    await h.emulator.waitFor(() => isEmpty(rowsOf(h, teamId)), { what: 'the workspace’s rows to be deleted' });
    expect(rowsOf(h, OTHER_TEAM)).toEqual(otherBefore);
    h.emulator.dm(h.emulator.seed.alice.id, 'hello again');
    h.emulator.openHome(h.emulator.seed.admin.id);
    await settle();
    expect(h.emulator.calls.slice(callsBefore)).toEqual([]);
    expect(isEmpty(rowsOf(h, teamId))).toBe(true);
  });

  it('tokens_revoked for someone else’s token changes nothing', async () => {
    const { h, teamId } = await aWorkspaceInUse();
    const before = rowsOf(h, teamId);

    h.emulator.deliverEvent('tokens_revoked', { type: 'tokens_revoked', tokens: { oauth: ['U0SOMEONE'], bot: ['U0OTHERBOT'] }, event_ts: h.emulator.workspace.nextTs() });

    await settle();
    expect(rowsOf(h, teamId)).toEqual(before);
    await waitForAnswer(h, h.emulator.dm(h.emulator.seed.alice.id, 'still there?'));
  });

  it('app_uninstalled deletes every row of the workspace and calls Slack no more', async () => {
    const { h, teamId, otherBefore } = await aWorkspaceInUse();
    fillEveryTable(h, teamId);
    const callsBefore = await revokeInSlack(h);

    h.emulator.deliverEvent('app_uninstalled', { type: 'app_uninstalled', event_ts: h.emulator.workspace.nextTs() });

    await h.emulator.waitFor(() => isEmpty(rowsOf(h, teamId)), { what: 'the workspace’s rows to be deleted' });
    expect(rowsOf(h, OTHER_TEAM)).toEqual(otherBefore);
    h.emulator.dm(h.emulator.seed.alice.id, 'hello again');
    await settle();
    expect(h.emulator.calls.slice(callsBefore)).toEqual([]);
    expect(h.logs.some((line) => /disconnected \(app_uninstalled\)/.test(line))).toBe(true);
  });
});

describe('a revoked app token', () => {
  it('makes a reconnect fail with one clear log line instead of stopping the process', { timeout: 30_000 }, async () => {
    const h = await startHarness();
    harness = h;
    h.emulator.faults.error('apps.connections.open', 'invalid_auth', { times: 10 });

    h.emulator.socketMode.disconnect('refresh_requested');

    await h.emulator.waitFor(() => h.logs.some((line) => /Slack refused Pulse's app token \(SLACK_APP_TOKEN: invalid_auth\) when reconnecting/.test(line)), {
      what: 'the reconnect failure to be logged',
      timeoutMs: 20_000,
    });
    expect(h.emulator.callsTo('apps.connections.open').filter((call) => call.error === 'invalid_auth')).toHaveLength(1);
  });
});
