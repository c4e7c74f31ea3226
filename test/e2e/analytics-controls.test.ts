/**
 * The analytics controls end to end, as people see them: live events keeping
 * figures current between syncs, "Delete all analytics data", pseudonyms,
 * message-text storage, PR threads through top_threads, the Sync now button
 * and the settings modal's checks. The real Pulse runs against the Slack
 * emulator (seeded with test/support/analytics-world.ts) and the fake LLM,
 * whose scripted model calls a tool and writes its table back as lines.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.ts';
import { ACTION_ID, BLOCK_ID, VIEW_ID } from '../../src/slack/ids.ts';
import { seedAnalyticsWorld } from '../support/analytics-world.ts';
import { expectedFigures } from '../support/analytics-world-figures.ts';
import type { AnalyticsWorld, ChannelName } from '../support/analytics-world-shape.ts';
import type { FakeToolCall, RecordedRequest } from '../support/fake-llm.ts';
import { settle, startHarness, waitForAnswer, type Harness } from '../support/pulse-harness.ts';

const DAY_MS = 86_400_000;
const ANALYTICS_TABLES = [
  'analytics_messages',
  'analytics_links',
  'analytics_threads',
  'analytics_channel_days',
  'analytics_person_days',
  'analytics_people',
  'analytics_channels',
] as const;
const GITHUB_PR = /https:\/\/github\.com\/[^/\s|>]+\/[^/\s|>]+\/pull\/\d+/;

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function startWorld() {
  harness = await startHarness({ env: { ANALYTICS_CALLS_PER_MINUTE: '10000' } });
  const world = seedAnalyticsWorld(harness.emulator);
  return { h: harness, world, admin: world.users.ada };
}

// ——— App Home ———

function homeText(h: Harness, userId: string): string {
  return JSON.stringify(h.emulator.homeView(userId)?.view ?? {});
}

async function openAdminHome(h: Harness, adminId: string): Promise<string> {
  h.emulator.openHome(adminId);
  await h.emulator.waitFor(() => homeText(h, adminId).includes('Workspace analytics'), { what: 'the admin Home tab' });
  return h.emulator.homeView(adminId)?.id as string;
}

function lastSyncLine(h: Harness, adminId: string): string | undefined {
  return /Last sync \(manual\) finished [^"]*/.exec(homeText(h, adminId))?.[0];
}

/** Clicks a Home tab button and waits until the Home tab reports a manual sync newer than the one shown before. */
async function clickAndWaitForSync(h: Harness, adminId: string, actionId: string): Promise<string> {
  const viewId = await openAdminHome(h, adminId);
  const before = lastSyncLine(h, adminId);
  h.emulator.clickButton(adminId, { viewId }, { actionId });
  await h.emulator.waitFor(() => lastSyncLine(h, adminId) !== undefined && lastSyncLine(h, adminId) !== before, {
    what: 'the Home tab to report a finished sync',
    timeoutMs: 60_000,
  });
  return homeText(h, adminId);
}

const syncNow = (h: Harness, adminId: string) => clickAndWaitForSync(h, adminId, ACTION_ID.syncNow);

async function openSettingsModal(h: Harness, adminId: string) {
  const viewId = await openAdminHome(h, adminId);
  h.emulator.clickButton(adminId, { viewId }, { actionId: ACTION_ID.editAnalytics });
  return h.emulator.waitFor(
    () => h.emulator.openModals(adminId).find((modal) => modal.view.callback_id === VIEW_ID.analyticsSettings),
    { what: 'the analytics settings modal' },
  );
}

/** The admin changes some settings in the modal (the rest keep their shown values) and waits for the Home tab's notice. */
async function saveSettings(h: Harness, adminId: string, values: Record<string, Record<string, string>>): Promise<string> {
  const modal = await openSettingsModal(h, adminId);
  const ack = await h.emulator.submitView(adminId, modal.id, values);
  expect(ack?.response_action).toBeUndefined();
  await h.emulator.waitFor(() => homeText(h, adminId).includes('Analytics settings saved.'), { what: 'the saved-settings notice' });
  return homeText(h, adminId);
}

// ——— The database, read only ———

function query<T>(h: Harness, sql: string, ...params: unknown[]): T[] {
  const database = openDatabase(h.config.databasePath);
  try {
    return database.db.$client.prepare(sql).all(...params) as T[];
  } finally {
    database.close();
  }
}

function rowCounts(h: Harness, teamId: string): Record<string, number> {
  return Object.fromEntries(
    ANALYTICS_TABLES.map((table) => [table, query<{ n: number }>(h, `SELECT COUNT(*) AS n FROM ${table} WHERE team_id = ?`, teamId)[0]?.n ?? 0]),
  );
}

function storedRow(h: Harness, channel: string, ts: string) {
  return query<{ edited: number; text: string | null; author_id: string | null }>(
    h,
    'SELECT edited, text, author_id FROM analytics_messages WHERE channel_id = ? AND ts = ?',
    channel,
    ts,
  )[0];
}

// ——— Asking through the fake model ———

function toolResults(request: RecordedRequest): string[] {
  const messages = request.body.messages as { role: string; content: string }[];
  return messages.filter((message) => message.role === 'tool').map((message) => message.content);
}

/**
 * Asks Pulse in a DM; the model calls `call` and writes the tool's table back
 * as "cell | cell | value" lines (or relays the refusal). Returns what the
 * asker reads and the raw tool result the model got.
 */
async function ask(h: Harness, userId: string, question: string, call: FakeToolCall) {
  let raw = '';
  h.llm.script(
    { toolCalls: [call] },
    {
      respond: (request) => {
        raw = toolResults(request).at(-1) ?? '';
        const result = JSON.parse(raw) as { refused?: string; range?: string; rows?: unknown[][] };
        if (typeof result.refused === 'string') return { reply: `I can't: ${result.refused}` };
        return { reply: [`Range: ${String(result.range)}`, ...(result.rows ?? []).map((row) => row.join(' | '))].join('\n') };
      },
    },
  );
  const replies = await waitForAnswer(h, h.emulator.dm(userId, question));
  return { answer: replies.map((reply) => reply.text).join('\n'), raw, result: JSON.parse(raw) as Record<string, unknown> };
}

function answerRows(answer: string): string[][] {
  return answer
    .split('\n')
    .filter((line) => line.includes(' | '))
    .map((line) => line.split(' | '));
}

/** "Name (U123) | 4" lines as { U123: 4 } (pseudonyms are shown as they are). */
function valuesByPerson(answer: string): Record<string, number> {
  return Object.fromEntries(answerRows(answer).map(([person, value]) => [/\(([UW][A-Z0-9]+)\)$/.exec(person ?? '')?.[1] ?? person, Number(value)]));
}

function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A range that holds today whatever the clock does during the test. */
function recentRange() {
  return { from: utcDate(Date.now() - 7 * DAY_MS), to: utcDate(Date.now() + DAY_MS) };
}

/** The whole synced history of the world, in whole UTC days. */
function worldRange(world: AnalyticsWorld) {
  return { from: utcDate(world.lookback.fromMs + DAY_MS), to: utcDate(world.nowMs) };
}

describe('analytics controls', () => {
  it('keeps figures current from live messages, replies, reactions, edits and deletions, and stores nothing from DMs or channels it does not sync', async () => {
    const { h, world, admin } = await startWorld();
    const { emulator } = h;
    const engHelp = world.channels['eng-help'];
    const { bob, alice, erin } = world.users;
    emulator.addMembers(engHelp, [admin]);
    await syncNow(h, admin);

    const figures = async (metric: 'messages' | 'reactions_received') =>
      valuesByPerson(
        (
          await ask(h, admin, `${metric} per person in #eng-help`, {
            name: 'workspace_metrics',
            arguments: { metric, group_by: ['person'], channels: ['eng-help'], top: 100, ...recentRange() },
          })
        ).answer,
      );
    const plus = (counts: Record<string, number>, person: string, by: number) => ({ ...counts, [person]: (counts[person] ?? 0) + by });
    const messagesBefore = await figures('messages');
    const reactionsBefore = await figures('reactions_received');

    // Bob posts, replies in someone else's thread, and Alice reacts to his post: no sync in between.
    const root = world.messages.find(
      (message) => message.channel === engHelp && message.threadTs === undefined && message.user !== bob && !message.botId,
    ) as AnalyticsWorld['messages'][number];
    const post = emulator.post(bob, engHelp, 'Is anyone else seeing the deploy hang at the migrate step?');
    const reply = emulator.post(bob, engHelp, 'Same here, restarting the worker fixed it', { threadTs: root.ts });
    await emulator.waitFor(() => storedRow(h, engHelp, post.ts) && storedRow(h, engHelp, reply.ts), { what: 'the live messages stored' });
    emulator.workspace.addReaction(engHelp, post.ts, 'eyes', alice);
    await emulator.waitFor(
      () =>
        query(h, "SELECT 1 FROM analytics_messages, json_each(reactions) r WHERE channel_id = ? AND ts = ? AND r.value ->> 1 = ?", engHelp, post.ts, alice)
          .length > 0,
      { what: 'the live reaction stored' },
    );
    expect(await figures('messages')).toEqual(plus(messagesBefore, bob, 2));
    expect(await figures('reactions_received')).toEqual(plus(reactionsBefore, bob, 1));

    // An edit changes the text, not the counts (the reaction stays).
    emulator.workspace.updateMessage(engHelp, post.ts, { text: 'Is anyone else seeing the deploy hang? (edited)' }, bob);
    await emulator.waitFor(() => storedRow(h, engHelp, post.ts)?.edited === 1, { what: 'the edit stored' });
    expect(await figures('messages')).toEqual(plus(messagesBefore, bob, 2));
    expect(await figures('reactions_received')).toEqual(plus(reactionsBefore, bob, 1));

    // Deleting the post removes it and the reaction on it; the reply still counts.
    emulator.workspace.deleteMessage(engHelp, post.ts);
    await emulator.waitFor(() => storedRow(h, engHelp, post.ts) === undefined, { what: 'the deletion applied' });
    expect(await figures('messages')).toEqual(plus(messagesBefore, bob, 1));
    expect(await figures('reactions_received')).toEqual(reactionsBefore);

    // A DM to Pulse, a public channel Pulse is not in and a private one it is not in: nothing stored.
    const dm = emulator.dm(bob, 'hi Pulse, just saying hello');
    await waitForAnswer(h, dm);
    emulator.post(alice, world.channels.random, 'lunch anyone? see <https://github.com/acme/web/pull/77>');
    emulator.post(erin, world.channels['eng-secret'], 'secret plans <https://github.com/acme/api/pull/78>');
    await settle();
    const notSynced = [emulator.imChannel(bob), emulator.imChannel(admin), world.channels.random, world.channels['eng-secret']];
    expect(
      query(h, `SELECT channel_id, ts FROM analytics_messages WHERE channel_id IN (${notSynced.map(() => '?').join(', ')})`, ...notSynced),
    ).toEqual([]);
  }, 60_000);

  it('deletes every analytics row only when an admin types DELETE, pauses syncing until resumed, and refuses a non-admin', async () => {
    const { h, world, admin } = await startWorld();
    const { emulator } = h;
    const { alice, bob } = world.users;
    const engHelp = world.channels['eng-help'];
    await syncNow(h, admin);
    const before = rowCounts(h, world.teamId);
    for (const table of ANALYTICS_TABLES) expect(before[table], table).toBeGreaterThan(0);
    const storedBefore = query<{ channel_id: string; ts: string }>(h, 'SELECT channel_id, ts FROM analytics_messages ORDER BY channel_id, ts');

    // A non-admin's forged click opens nothing.
    const homeId = await openAdminHome(h, admin);
    emulator.clickButton(alice, { viewId: homeId }, { actionId: ACTION_ID.deleteAnalytics });
    await settle();
    expect(emulator.openModals(alice)).toEqual([]);

    emulator.clickButton(admin, { viewId: homeId }, { actionId: ACTION_ID.deleteAnalytics });
    const modal = await emulator.waitFor(
      () => emulator.openModals(admin).find((view) => view.view.callback_id === VIEW_ID.deleteAnalytics),
      { what: 'the delete confirmation modal' },
    );
    const messages = before.analytics_messages as number;
    expect(JSON.stringify(modal.view)).toContain(`${messages.toLocaleString('en-US')} messages' metadata`);
    const typed = (word: string) => ({ [BLOCK_ID.deleteConfirmation]: { [ACTION_ID.deleteConfirmationInput]: word } });

    const wrong = await emulator.submitView(admin, modal.id, typed('delete'));
    expect(wrong?.response_action).toBe('errors');
    expect(wrong?.errors).toEqual({ [BLOCK_ID.deleteConfirmation]: expect.stringMatching(/^Type DELETE \(in capitals\)/) });
    expect(rowCounts(h, world.teamId)).toEqual(before);

    const forged = await emulator.submitView(alice, modal.id, typed('DELETE'));
    expect(forged?.response_action).toBe('errors');
    expect(forged?.errors).toEqual({ [BLOCK_ID.deleteConfirmation]: expect.stringMatching(/^Only Pulse admins can change this/) });
    expect(rowCounts(h, world.teamId)).toEqual(before);

    const confirmed = await emulator.submitView(admin, modal.id, typed('DELETE'));
    expect(confirmed?.response_action).toBeUndefined();
    await emulator.waitFor(() => homeText(h, admin).includes('Deleted all analytics data'), { what: 'the deletion notice' });
    expect(rowCounts(h, world.teamId)).toEqual(Object.fromEntries(ANALYTICS_TABLES.map((table) => [table, 0])));
    const paused = homeText(h, admin);
    expect(paused).toContain(`Deleted all analytics data: ${messages.toLocaleString('en-US')} messages' metadata`);
    expect(paused).toContain('*Paused*');
    expect(paused).toContain('Resume syncing');
    expect(paused).not.toContain(ACTION_ID.syncNow);

    // Paused: live messages are not stored, and a non-admin cannot resume.
    const whilePaused = emulator.post(bob, engHelp, 'does anyone know why the nightly build is red');
    const historyCalls = emulator.callsTo('conversations.history').length;
    emulator.clickButton(alice, { viewId: homeId }, { actionId: ACTION_ID.resumeAnalytics });
    await settle();
    expect(emulator.callsTo('conversations.history')).toHaveLength(historyCalls);
    expect(rowCounts(h, world.teamId).analytics_messages).toBe(0);

    // Resume syncing reads everything again, the message posted while paused included.
    const resumed = await clickAndWaitForSync(h, admin, ACTION_ID.resumeAnalytics);
    expect(resumed).toContain('*On*');
    const storedAfter = query<{ channel_id: string; ts: string }>(h, 'SELECT channel_id, ts FROM analytics_messages ORDER BY channel_id, ts');
    expect(storedAfter).toEqual(
      [...storedBefore, { channel_id: engHelp, ts: whilePaused.ts }].sort((a, b) =>
        a.channel_id === b.channel_id ? (a.ts < b.ts ? -1 : 1) : a.channel_id < b.channel_id ? -1 : 1,
      ),
    );
  }, 60_000);

  it('stores people as pseudonyms once an admin turns them on: old rows deleted, figures re-read with P- ids only, find_person refused, channel totals unchanged', async () => {
    const { h, world, admin } = await startWorld();
    const { emulator } = h;
    emulator.addMembers(world.channels['eng-help'], [admin]);
    await syncNow(h, admin);
    const perChannel = { name: 'workspace_metrics', arguments: { metric: 'messages', group_by: ['channel'], ...worldRange(world) } };
    const totalsBefore = answerRows((await ask(h, admin, 'messages per channel', perChannel)).answer);
    expect(totalsBefore.length).toBe(3);
    const storedBefore = rowCounts(h, world.teamId).analytics_messages as number;

    const home = await saveSettings(h, admin, { [BLOCK_ID.pseudonymize]: { [ACTION_ID.pseudonymizeSelect]: 'true' } });
    expect(home).toContain(`People are now stored as pseudonyms: ${storedBefore.toLocaleString('en-US')} stored messages were deleted`);
    expect(home).toContain('*People:* pseudonymized');
    expect(rowCounts(h, world.teamId).analytics_messages).toBe(0);

    await syncNow(h, admin);
    const authors = query<{ author_id: string }>(h, 'SELECT DISTINCT author_id FROM analytics_messages WHERE author_id IS NOT NULL');
    expect(authors.length).toBeGreaterThan(5);
    for (const { author_id } of authors) expect(author_id).toMatch(/^P-[A-Z2-7]{12}$/);

    const people = await ask(h, admin, 'who posts the most?', {
      name: 'workspace_metrics',
      arguments: { metric: 'messages', group_by: ['person'], top: 100, ...worldRange(world) },
    });
    const rows = answerRows(people.answer);
    expect(rows.length).toBeGreaterThan(5);
    for (const [person] of rows) expect(person).toMatch(/^P-[A-Z2-7]{12}$/);
    for (const id of Object.values(world.users)) {
      expect(people.raw).not.toContain(id);
      expect(people.answer).not.toContain(id);
    }

    const find = await ask(h, admin, 'how active is bob?', { name: 'find_person', arguments: { query: 'bob' } });
    expect(find.answer).toMatch(/^I can't: People are pseudonymized in this workspace/);

    expect(answerRows((await ask(h, admin, 'messages per channel again', perChannel)).answer)).toEqual(totalsBefore);
  }, 60_000);

  it('stores no message text by default, stores it once turned on, and erases all of it at once when turned off', async () => {
    const { h, world, admin } = await startWorld();
    const { emulator } = h;
    const withText = () => query<{ n: number }>(h, 'SELECT COUNT(*) AS n FROM analytics_messages WHERE text IS NOT NULL')[0]?.n;
    await syncNow(h, admin);
    expect(rowCounts(h, world.teamId).analytics_messages).toBeGreaterThan(1_000);
    expect(withText()).toBe(0);

    const on = await saveSettings(h, admin, { [BLOCK_ID.storeText]: { [ACTION_ID.storeTextSelect]: 'true' } });
    expect(on).toContain('*Message text:* stored');
    // Text arrives with what Pulse reads from now on: live messages, and the recent history each sync re-reads.
    const live = emulator.post(world.users.bob, world.channels['eng-help'], 'Shipped <https://github.com/acme/api/pull/9> :rocket:');
    await emulator.waitFor(() => storedRow(h, live.channel, live.ts), { what: 'the live message stored' });
    expect(storedRow(h, live.channel, live.ts)?.text).toBe('Shipped <https://github.com/acme/api/pull/9> :rocket:');
    await syncNow(h, admin);
    const worldText = new Map(world.messages.map((message) => [`${message.channel}:${message.ts}`, message.text]));
    const recent = query<{ channel_id: string; ts: string; text: string | null }>(
      h,
      'SELECT channel_id, ts, text FROM analytics_messages WHERE ts_ms >= ? AND ts_ms < ? AND (thread_ts IS NULL OR thread_ts = ts)',
      world.nowMs - 6 * DAY_MS,
      world.nowMs,
    );
    expect(recent.length).toBeGreaterThan(20);
    for (const row of recent) expect(row.text, `${row.channel_id}:${row.ts}`).toBe(worldText.get(`${row.channel_id}:${row.ts}`));

    const off = await saveSettings(h, admin, { [BLOCK_ID.storeText]: { [ACTION_ID.storeTextSelect]: 'false' } });
    expect(off).toContain('Stored message text was erased.');
    expect(off).toContain('*Message text:* not stored');
    expect(withText()).toBe(0);
  }, 60_000);

  it('lists the threads about GitHub pull requests, deepest first, each linking to its real root, and leaves out who started them for a non-admin', async () => {
    const { h, world, admin } = await startWorld();
    const { emulator } = h;
    const channels: ChannelName[] = ['general', 'eng-help', 'eng-prs'];
    emulator.addMembers(world.channels['eng-help'], [admin]);
    emulator.addMembers(world.channels['eng-prs'], [admin]);
    await saveSettings(h, admin, { [BLOCK_ID.autoJoinPattern]: { [ACTION_ID.autoJoinPatternInput]: world.autoJoinPattern } });
    await syncNow(h, admin);

    // Reference: person-rooted threads whose root or a person's reply links a GitHub PR, most replies first.
    const range = worldRange(world);
    const scope = { channels, fromMs: Date.parse(`${range.from}T00:00:00Z`), toMs: Date.parse(`${range.to}T00:00:00Z`) + DAY_MS };
    const byKey = new Map(world.messages.map((message) => [`${message.channel}:${message.ts}`, message]));
    const expected = expectedFigures(world, scope)
      .threads.filter((thread) => thread.replies > 0)
      .filter((thread) =>
        world.messages.some(
          (message) =>
            message.channel === thread.channelId &&
            (message.ts === thread.threadTs || (message.threadTs === thread.threadTs && !message.botId)) &&
            GITHUB_PR.test(message.text),
        ),
      )
      .sort((a, b) => b.replies - a.replies || b.participants - a.participants || Number(a.threadTs) - Number(b.threadTs));
    expect(expected.length).toBeGreaterThan(10);
    const top = expected.slice(0, 20);
    const call = {
      name: 'top_threads',
      arguments: { order: 'replies', link_kinds: ['github_pr'], channels, limit: 20, ...range },
    };

    const adminAnswer = await ask(h, admin, 'which PR threads had the most discussion?', call);
    const adminResult = adminAnswer.result as { columns: string[]; rows: unknown[][] };
    expect(adminResult.columns).toContain('started_by');
    const link = adminResult.columns.indexOf('link');
    const replies = adminResult.columns.indexOf('replies');
    const permalinks = adminResult.rows.map((row) => String(row[link]));
    const domain = emulator.workspace.team.domain;
    expect(permalinks).toEqual(top.map((thread) => `https://${domain}.slack.com/archives/${thread.channelId}/p${thread.threadTs.replace('.', '')}`));
    for (const permalink of permalinks) {
      const [, channel, digits] = /\/archives\/([A-Z0-9]+)\/p(\d+)$/.exec(permalink) ?? [];
      const ts = `${digits?.slice(0, -6)}.${digits?.slice(-6)}`;
      const root = byKey.get(`${channel}:${ts}`);
      expect(root, permalink).toBeDefined();
      expect(root?.threadTs, permalink).toBeUndefined();
      expect(emulator.messages(channel as string, { threadTs: ts }).some((message) => GITHUB_PR.test(message.text)), permalink).toBe(true);
      expect(adminAnswer.answer).toContain(permalink);
    }
    const replyCounts = adminResult.rows.map((row) => Number(row[replies]));
    expect(replyCounts).toEqual(top.map((thread) => thread.replies));
    expect(replyCounts).toEqual([...replyCounts].sort((a, b) => b - a));
    const startedBy = adminResult.rows.map((row) => String(row[adminResult.columns.indexOf('started_by')]));
    expect(startedBy).toEqual(
      top.map((thread) => {
        const author = emulator.workspace.requireUser(thread.rootAuthorId);
        return author.displayName || author.realName;
      }),
    );

    const aliceAnswer = await ask(h, world.users.alice, 'which PR threads had the most discussion?', call);
    const aliceResult = aliceAnswer.result as { columns: string[]; rows: unknown[][] };
    expect(aliceResult.columns).not.toContain('started_by');
    expect(aliceResult.rows.map((row) => String(row[aliceResult.columns.indexOf('link')]))).toEqual(permalinks);
    for (const thread of top) expect(JSON.stringify(aliceResult.rows)).not.toContain(thread.rootAuthorId);
  }, 60_000);

  it("ignores a non-admin's Sync now, and shows the admin each synced channel but never a private channel Pulse is not in", async () => {
    const { h, world, admin } = await startWorld();
    const { emulator } = h;
    const homeId = await openAdminHome(h, admin);

    emulator.clickButton(world.users.alice, { viewId: homeId }, { actionId: ACTION_ID.syncNow });
    await emulator.waitFor(() => emulator.homeView(world.users.alice), { what: "alice's Home tab, re-published after her click" });
    await settle(800);
    expect(emulator.callsTo('conversations.history')).toEqual([]);
    expect(emulator.callsTo('conversations.list')).toEqual([]);
    expect(rowCounts(h, world.teamId).analytics_channels).toBe(0);
    expect(homeText(h, world.users.alice)).not.toContain('Workspace analytics');

    const home = await syncNow(h, admin);
    const engHelpRead = query<{ n: number }>(h, 'SELECT last_sync_messages AS n FROM analytics_channels WHERE channel_id = ?', world.channels['eng-help'])[0]?.n;
    expect(engHelpRead).toBeGreaterThan(500);
    expect(home).toMatch(
      new RegExp(`:white_check_mark: #eng-help — last sync <!date\\^\\d+\\^[^>]*>, ${engHelpRead?.toLocaleString('en-US')} messages read`),
    );
    expect(home).toMatch(/:white_check_mark: #general — last sync /);
    expect(home).toMatch(/:white_check_mark: :lock: leads — last sync /);
    expect(home).not.toContain('eng-secret');
    expect(home).not.toContain(world.channels['eng-secret']);
  }, 60_000);

  it("counts each message once in a channel's messages read, though a thread root comes back with its replies", async () => {
    const { h, world, admin } = await startWorld();
    const engHelp = world.channels['eng-help'];
    const home = await syncNow(h, admin);
    // A first sync of a quiet channel reads each of its messages in the lookback exactly once, and stores each.
    const inChannel = query<{ n: number }>(h, 'SELECT COUNT(*) AS n FROM analytics_messages WHERE channel_id = ?', engHelp)[0]?.n as number;
    const lookbackStart = world.nowMs - world.lookback.days * DAY_MS;
    expect(inChannel).toBe(world.messages.filter((message) => message.channel === engHelp && Number(message.ts) * 1000 >= lookbackStart).length);
    expect(home).toMatch(new RegExp(`:white_check_mark: #eng-help — last sync <!date\\^\\d+\\^[^>]*>, ${inChannel.toLocaleString('en-US')} messages read`));
  }, 60_000);

  it('refuses an invalid pattern, a history of 0 or "abc" days and a retention shorter than the history, with inline errors, saving nothing', async () => {
    const { h, admin } = await startWorld();
    const { emulator } = h;
    const modal = await openSettingsModal(h, admin);
    const submit = (pattern: string, lookback: string, retention: string) =>
      emulator.submitView(admin, modal.id, {
        [BLOCK_ID.autoJoinPattern]: { [ACTION_ID.autoJoinPatternInput]: pattern },
        [BLOCK_ID.lookbackDays]: { [ACTION_ID.lookbackDaysInput]: lookback },
        [BLOCK_ID.retentionDays]: { [ACTION_ID.retentionDaysInput]: retention },
        [BLOCK_ID.storeText]: { [ACTION_ID.storeTextSelect]: 'true' },
      });

    const badPattern = await submit('(', '30', '365');
    expect(badPattern?.response_action).toBe('errors');
    expect(badPattern?.errors).toEqual({ [BLOCK_ID.autoJoinPattern]: expect.stringMatching(/^That is not a valid regular expression/) });

    const zero = await submit('^eng-', '0', '365');
    expect(zero?.errors).toEqual({ [BLOCK_ID.lookbackDays]: 'History: enter a whole number of days (1 or more).' });
    const words = await submit('^eng-', 'abc', '365');
    expect(words?.errors).toEqual({ [BLOCK_ID.lookbackDays]: 'History: enter a whole number of days (1 or more).' });

    const shortRetention = await submit('^eng-', '90', '30');
    expect(shortRetention?.errors).toEqual({ [BLOCK_ID.retentionDays]: expect.stringMatching(/at least as long as the history/) });

    expect(emulator.openModals(admin).map((view) => view.id)).toEqual([modal.id]);
    expect(query(h, "SELECT key FROM workspace_settings WHERE key LIKE 'analytics%'")).toEqual([]);
    emulator.openHome(admin);
    await emulator.waitFor(() => homeText(h, admin).includes('*Auto-join pattern:* none'), { what: 'the unchanged settings in the Home tab' });
    expect(homeText(h, admin)).toContain('*History:* 90 days back · *Kept for:* 365 days');
    expect(homeText(h, admin)).toContain('*Message text:* not stored');
  }, 60_000);
});
