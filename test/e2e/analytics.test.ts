/**
 * Workspace analytics end to end: a seeded emulator workspace (2,400+
 * messages, threads, reactions, links, a private channel Pulse is not in, an
 * archived one), synced by the real Pulse through App Home, then asked about
 * through the agent's tools. Expected figures come from the pure, hand-checked
 * signal functions over the world's own messages (test/support/analytics-world.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.ts';
import { ACTION_ID, BLOCK_ID } from '../../src/slack/ids.ts';
import { seedAnalyticsWorld } from '../support/analytics-world.ts';
import { expectedFigures } from '../support/analytics-world-figures.ts';
import type { AnalyticsWorld } from '../support/analytics-world-shape.ts';
import type { RecordedRequest } from '../support/fake-llm.ts';
import { startHarness, waitForAnswer, type Harness } from '../support/pulse-harness.ts';

const DAY_MS = 86_400_000;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

async function start(env: Record<string, string> = {}) {
  harness = await startHarness({ env: { ANALYTICS_CALLS_PER_MINUTE: '10000', ...env } });
  return harness;
}

function homeText(h: Harness, userId: string): string {
  return JSON.stringify(h.emulator.homeView(userId)?.view ?? {});
}

/** An admin sets the analytics settings in App Home through the modal, as in Slack. */
async function setAnalyticsSettings(h: Harness, adminId: string, values: { pattern?: string }) {
  const { emulator } = h;
  emulator.openHome(adminId);
  await emulator.waitFor(() => homeText(h, adminId).includes('Workspace analytics'), { what: 'the admin Home tab' });
  const home = emulator.homeView(adminId);
  emulator.clickButton(adminId, { viewId: home?.id as string }, { actionId: ACTION_ID.editAnalytics });
  await emulator.waitFor(() => emulator.openModals(adminId).length > 0, { what: 'the analytics settings modal' });
  const modal = emulator.openModals(adminId)[0];
  const ack = await emulator.submitView(adminId, modal?.id as string, {
    [BLOCK_ID.autoJoinPattern]: { [ACTION_ID.autoJoinPatternInput]: values.pattern ?? '' },
  });
  expect(ack?.response_action).toBeUndefined();
}

/** Clicks "Sync now" and waits until the Home tab reports the finished sync. */
async function syncNow(h: Harness, adminId: string): Promise<string> {
  const { emulator } = h;
  const home = emulator.homeView(adminId);
  emulator.clickButton(adminId, { viewId: home?.id as string }, { actionId: ACTION_ID.syncNow });
  await emulator.waitFor(() => homeText(h, adminId).includes('Last sync (manual) finished'), {
    what: 'the Home tab to report the finished sync',
    timeoutMs: 60_000,
  });
  return homeText(h, adminId);
}

function storedMessages(h: Harness): { channel_id: string; ts: string }[] {
  const database = openDatabase(h.config.databasePath);
  try {
    return database.db.$client.prepare('SELECT channel_id, ts FROM analytics_messages ORDER BY channel_id, ts').all() as {
      channel_id: string;
      ts: string;
    }[];
  } finally {
    database.close();
  }
}

function worldMessagesIn(world: AnalyticsWorld, channels: readonly string[], fromMs: number, toMs: number) {
  const ids = new Set(channels.map((name) => world.channels[name as keyof AnalyticsWorld['channels']]));
  return world.messages
    .filter((message) => ids.has(message.channel) && Number(message.ts) * 1000 >= fromMs && Number(message.ts) * 1000 < toMs)
    .map((message) => ({ channel_id: message.channel, ts: message.ts }))
    .sort((a, b) => (a.channel_id === b.channel_id ? (a.ts < b.ts ? -1 : 1) : a.channel_id < b.channel_id ? -1 : 1));
}

/** The JSON a tool returned to the model in a request. */
function lastToolResult(request: RecordedRequest): Record<string, unknown> {
  const messages = request.body.messages as { role: string; content: string }[];
  const tool = messages.findLast((message) => message.role === 'tool');
  return JSON.parse(tool?.content ?? '{}') as Record<string, unknown>;
}

/** A model that reads the tool's table and writes every row as "key | key | value" lines, or relays a refusal. */
const relayToolResult = {
  respond: (request: RecordedRequest) => {
    const result = lastToolResult(request);
    if (typeof result.refused === 'string') return { reply: `I can't: ${result.refused}` };
    const rows = (result.rows as unknown[][]).map((row) => row.join(' | '));
    return { reply: [`Range: ${String(result.range)}`, ...rows].join('\n') };
  },
};

function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The answer's "key | value" lines as a map. */
function answerRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.includes(' | '))
    .map((line) => line.split(' | '));
}

describe('workspace analytics', () => {
  it('syncs exactly the channels it should, and answers help-reply and weekly questions with the hand-computed numbers', async () => {
    const h = await start();
    const { emulator, llm } = h;
    const world = seedAnalyticsWorld(emulator);
    const admin = world.users.ada;
    // The admin asking is in #eng-help (figures are only for channels the asker is in, admins included).
    emulator.addMembers(world.channels['eng-help'], [admin]);

    await setAnalyticsSettings(h, admin, { pattern: world.autoJoinPattern });
    const home = await syncNow(h, admin);

    // Auto-join: exactly the public, unarchived channels matching ^eng- that Pulse was not in.
    const joined = emulator.callsTo('conversations.join').map((call) => call.params.channel);
    expect(joined).toEqual([world.channels['eng-prs']]);
    expect(home).toContain('joined #eng-prs');
    // Nothing is read from channels Pulse must not read.
    const read = new Set(
      [...emulator.callsTo('conversations.history'), ...emulator.callsTo('conversations.replies')].map((call) => call.params.channel),
    );
    for (const name of world.unreadChannels) expect(read.has(world.channels[name])).toBe(false);
    for (const name of world.syncedChannels) expect(read.has(world.channels[name])).toBe(true);

    // Every message of the lookback in the synced channels is stored once; nothing older, nothing else.
    const stored = storedMessages(h);
    const lookbackStart = world.nowMs - 90 * DAY_MS;
    // Slack's "Pulse has joined the channel" notice in #eng-prs and Pulse's own join notice (a bot message)
    // are the messages newer than the world.
    const joinNotice = emulator.messages(world.channels['eng-prs']).filter((message) => Number(message.ts) * 1000 > world.nowMs);
    expect(joinNotice.map((message) => message.subtype ?? (message.user === emulator.botUserId ? 'pulse notice' : 'other'))).toEqual([
      'channel_join',
      'pulse notice',
    ]);
    const expectedRows = [
      ...worldMessagesIn(world, world.syncedChannels, lookbackStart + 60_000, world.nowMs + 1),
      ...joinNotice.map((message) => ({ channel_id: world.channels['eng-prs'], ts: message.ts })),
    ].sort((a, b) => (a.channel_id === b.channel_id ? (a.ts < b.ts ? -1 : 1) : a.channel_id < b.channel_id ? -1 : 1));
    expect(stored.length).toBeGreaterThanOrEqual(2_000);
    expect(stored).toEqual(expectedRows);

    // Help replies per person in #eng-help over the last 60 days, through workspace_metrics.
    const fromDay = utcDate(lookbackStart + DAY_MS);
    const toDay = utcDate(world.nowMs);
    const range = { fromMs: Date.parse(`${fromDay}T00:00:00Z`), toMs: Date.parse(`${toDay}T00:00:00Z`) + DAY_MS };
    llm.script(
      {
        toolCalls: [
          {
            name: 'workspace_metrics',
            arguments: { metric: 'help_replies', group_by: ['person'], channels: ['#eng-help'], from: fromDay, to: toDay, top: 100 },
          },
        ],
      },
      relayToolResult,
    );
    const helpAnswer = await waitForAnswer(h, emulator.dm(admin, 'who gave the most help replies in #eng-help?'));
    const helpRows = answerRows(helpAnswer.map((reply) => reply.text).join('\n'));
    const expectedHelp = expectedFigures(world, { channels: ['eng-help'], ...range }).helpRepliesByPerson;
    expect(Object.keys(expectedHelp).length).toBeGreaterThan(3);
    const reportedHelp = Object.fromEntries(helpRows.map(([person, value]) => [/\((U[A-Z0-9]+)\)/.exec(person ?? '')?.[1], Number(value)]));
    expect(reportedHelp).toEqual(expectedHelp);
    // Ranked most first, people named.
    const values = helpRows.map((row) => Number(row[1]));
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const topId = /\((U[A-Z0-9]+)\)/.exec(helpRows[0]?.[0] ?? '')?.[1] as string;
    expect(helpRows[0]?.[0]).toBe(`${emulator.workspace.requireUser(topId).displayName} (${topId})`);

    // Weekly person messages per channel over every synced channel the admin is in.
    const adminChannels = world.syncedChannels.filter((name) => emulator.workspace.requireConversation(world.channels[name]).members.has(admin));
    llm.script(
      {
        toolCalls: [
          { name: 'workspace_metrics', arguments: { metric: 'messages', group_by: ['channel', 'week'], from: fromDay, to: toDay } },
        ],
      },
      relayToolResult,
    );
    const weeklyAnswer = await waitForAnswer(h, emulator.dm(admin, 'chart weekly messages per channel'));
    const reportedWeekly: Record<string, Record<string, number>> = {};
    for (const [channel, week, value] of answerRows(weeklyAnswer.map((reply) => reply.text).join('\n'))) {
      const id = world.channels[(channel ?? '').replace(/^#/, '') as keyof AnalyticsWorld['channels']];
      (reportedWeekly[id] ??= {})[(week ?? '').replace('week of ', '')] = Number(value);
    }
    const expectedWeekly = expectedFigures(world, { channels: adminChannels, ...range }).messagesByChannelWeek;
    expect(reportedWeekly).toEqual(expectedWeekly);
  }, 120_000);

  it('refuses per-person figures to a non-admin, and figures about a channel they are not in', async () => {
    const h = await start();
    const { emulator, llm } = h;
    const world = seedAnalyticsWorld(emulator);
    await setAnalyticsSettings(h, world.users.ada, {});
    await syncNow(h, world.users.ada);
    const alice = world.users.alice;

    llm.script({ toolCalls: [{ name: 'workspace_metrics', arguments: { metric: 'help_replies', group_by: ['person'] } }] }, relayToolResult);
    const perPerson = await waitForAnswer(h, emulator.dm(alice, 'who helps the most?'));
    expect(perPerson.map((reply) => reply.text).join('\n')).toMatch(/Per-person figures are only for workspace admins/);

    llm.script({ toolCalls: [{ name: 'workspace_metrics', arguments: { metric: 'messages', channels: ['leads'] } }] }, relayToolResult);
    const otherChannel = await waitForAnswer(h, emulator.dm(alice, 'how busy is #leads?'));
    expect(otherChannel.map((reply) => reply.text).join('\n')).toMatch(/You're not a member of that private channel/);

    // Her own figures, and channel figures for a channel she is in, are fine.
    llm.script(
      { toolCalls: [{ name: 'workspace_metrics', arguments: { metric: 'messages', people: [alice], channels: ['eng-help'] } }] },
      relayToolResult,
    );
    const own = await waitForAnswer(h, emulator.dm(alice, 'how many messages did I send in #eng-help?'));
    expect(own.map((reply) => reply.text).join('\n')).toMatch(/^Range: /);
  }, 120_000);

  it('waits out a 429 storm during the backfill and loses nothing', async () => {
    const h = await start();
    const { emulator } = h;
    const world = seedAnalyticsWorld(emulator);
    await setAnalyticsSettings(h, world.users.ada, {});
    emulator.faults.rateLimit('conversations.history', { times: 3, retryAfterSeconds: 1 });
    emulator.faults.rateLimit('conversations.replies', { times: 3, retryAfterSeconds: 1 });

    const home = await syncNow(h, world.users.ada);

    expect(home).not.toMatch(/failed/);
    const statuses = emulator.callsTo('conversations.history').map((call) => call.status);
    expect(statuses.filter((status) => status === 429)).toHaveLength(3);
    const channels = world.syncedChannels.filter((name) => name !== 'eng-prs');
    const lookbackStart = world.nowMs - 90 * DAY_MS;
    expect(storedMessages(h)).toEqual(worldMessagesIn(world, channels, lookbackStart + 60_000, world.nowMs + 1));
  }, 120_000);
});
