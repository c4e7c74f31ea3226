/**
 * The seeded analytics world: deterministic, as large and as varied as the
 * end-to-end tests need, threads well formed, and expected figures that
 * agree with direct counts and with what the emulator hands out.
 */
import { describe, expect, it } from 'vitest';
import { classifyLink, extractLinks } from '../../src/analytics/classify-link.ts';
import { extractMessageMetadata, type SlackMessageLike } from '../../src/analytics/message-metadata.ts';
import { isQuestion } from '../../src/analytics/question-heuristic.ts';
import { helpReplies, messagesPerPersonChannelDay, reactionsGivenReceived, threadDepth } from '../../src/analytics/signals.ts';
import { SlackEmulator } from '../../src/emulator/driver.ts';
import { renderMessage } from '../../src/emulator/slack-json.ts';
import { seedAnalyticsWorld } from '../support/analytics-world.ts';
import { expectedFigures, isoWeekStart } from '../support/analytics-world-figures.ts';
import { SYNCED_CHANNELS, UNREAD_CHANNELS, type AnalyticsWorld, type WorldMessage } from '../support/analytics-world-shape.ts';

const NOW_MS = Date.UTC(2025, 10, 13, 9, 30, 0);
const DAY_MS = 86_400_000;

function buildWorld(options: { seed?: number; idSeed?: string } = {}): { emulator: SlackEmulator; world: AnalyticsWorld } {
  const emulator = new SlackEmulator({ idSeed: options.idSeed ?? 'analytics-world' });
  return { emulator, world: seedAnalyticsWorld(emulator, { nowMs: NOW_MS, ...(options.seed !== undefined ? { seed: options.seed } : {}) }) };
}

const { emulator, world } = buildWorld();
const syncedIds = new Set(SYNCED_CHANNELS.map((name) => world.channels[name]));
const inSynced = world.messages.filter((message) => syncedIds.has(message.channel));
const atMs = (message: WorldMessage) => Number(message.ts.split('.')[0]) * 1000 + Math.floor(Number(message.ts.split('.')[1]) / 1000);
const activeFromMs = NOW_MS - 60 * DAY_MS;
const isPersonWritten = (message: WorldMessage) =>
  message.botId === undefined && [undefined, 'thread_broadcast', 'file_share'].includes(message.subtype);
const fullScope = { channels: SYNCED_CHANNELS, fromMs: world.lookback.fromMs, toMs: world.lookback.toMs };

describe('the analytics world', () => {
  it('is the same for the same seed and ids, and different for another seed', () => {
    const again = buildWorld().world;
    const otherIds = buildWorld({ idSeed: 'other-ids' }).world;
    const otherSeed = buildWorld({ seed: 7 }).world;

    expect(again).toEqual(world);
    expect(otherIds.messages.map((message) => `${message.channelName} ${message.ts}`)).toEqual(
      world.messages.map((message) => `${message.channelName} ${message.ts}`),
    );
    expect(otherSeed.messages.map((message) => message.ts)).not.toEqual(world.messages.map((message) => message.ts));
  });

  it('holds at least 2,400 recent messages and ~100 past the lookback in the synced channels, and a few hundred Pulse must not read', () => {
    const recent = inSynced.filter((message) => atMs(message) >= activeFromMs && atMs(message) < NOW_MS);
    const old = inSynced.filter((message) => atMs(message) < world.lookback.fromMs);
    const unread = world.messages.filter((message) => !syncedIds.has(message.channel));

    expect(recent.length).toBeGreaterThanOrEqual(2_400);
    expect(recent.length + old.length).toBe(inSynced.length);
    expect(old.length).toBeGreaterThanOrEqual(90);
    expect(old.length).toBeLessThanOrEqual(130);
    expect(old.every((message) => message.threadTs === undefined && atMs(message) < NOW_MS - 91 * DAY_MS)).toBe(true);
    const oldRoots = new Set(old.map((message) => `${message.channel}:${message.ts}`));
    expect(world.messages.some((message) => oldRoots.has(`${message.channel}:${message.threadTs}`))).toBe(false);
    expect(unread.length).toBeGreaterThanOrEqual(300);
    for (const name of UNREAD_CHANNELS) expect(unread.some((message) => message.channelName === name)).toBe(true);
  });

  it('has at least 300 threads, some of 10+ replies, every reply after its existing, older, top-level root and before now', () => {
    const byKey = new Map(world.messages.map((message) => [`${message.channel}:${message.ts}`, message]));
    const replyCounts = new Map<string, number>();
    for (const reply of world.messages.filter((message) => message.threadTs !== undefined)) {
      const root = byKey.get(`${reply.channel}:${reply.threadTs}`);
      expect(root, `root of ${reply.ts}`).toBeDefined();
      expect(root?.threadTs).toBeUndefined();
      expect(atMs(reply)).toBeGreaterThan(atMs(root as WorldMessage));
      expect(reply.ts > (root as WorldMessage).ts).toBe(true);
      expect(atMs(reply)).toBeLessThan(NOW_MS);
      expect(atMs(root as WorldMessage)).toBeGreaterThanOrEqual(activeFromMs);
      const key = `${reply.channel}:${reply.threadTs}`;
      replyCounts.set(key, (replyCounts.get(key) ?? 0) + 1);
    }
    const syncedThreads = [...replyCounts].filter(([key]) => syncedIds.has(key.split(':')[0] as string));

    expect(syncedThreads.length).toBeGreaterThanOrEqual(300);
    expect(syncedThreads.filter(([, count]) => count >= 10).length).toBeGreaterThanOrEqual(5);
  });

  it('keeps timestamps unique per channel with varied microseconds', () => {
    for (const channel of Object.values(world.channels)) {
      const stamps = world.messages.filter((message) => message.channel === channel).map((message) => message.ts);
      expect(new Set(stamps).size).toBe(stamps.length);
    }
    expect(new Set(world.messages.map((message) => message.ts.split('.')[1])).size).toBeGreaterThan(3_000);
  });

  it('mixes questions and statements, self-replies and others’ replies, self-reactions, mentions, edits, files, bots, joins and broadcasts', () => {
    const byKey = new Map(world.messages.map((message) => [`${message.channel}:${message.ts}`, message]));
    const roots = inSynced.filter((message) => message.threadTs === undefined && isPersonWritten(message));
    const replies = inSynced.filter((message) => message.threadTs !== undefined && isPersonWritten(message));
    const rootOf = (reply: WorldMessage) => byKey.get(`${reply.channel}:${reply.threadTs}`) as WorldMessage;

    expect(roots.some((message) => message.text.endsWith('?'))).toBe(true);
    expect(roots.some((message) => /^(hi team, )?does anyone know/i.test(message.text))).toBe(true);
    expect(roots.some((message) => !isQuestion(message.text))).toBe(true);
    expect(replies.some((reply) => reply.user === rootOf(reply).user)).toBe(true);
    expect(replies.some((reply) => reply.user !== rootOf(reply).user)).toBe(true);
    expect(inSynced.some((message) => message.reactions.some((reaction) => reaction.users.includes(message.user)))).toBe(true);
    expect(inSynced.some((message) => /<@U[A-Z0-9]+>/.test(message.text) && message.subtype !== 'channel_join')).toBe(true);
    expect(inSynced.some((message) => message.edited)).toBe(true);
    expect(inSynced.some((message) => message.fileIds.length > 0 && message.subtype === 'file_share')).toBe(true);
    expect(inSynced.filter((message) => message.botId === world.githubBotId && message.subtype === 'bot_message').length).toBeGreaterThan(50);
    expect(inSynced.some((message) => message.subtype === 'channel_join')).toBe(true);
    expect(inSynced.some((message) => message.subtype === 'thread_broadcast')).toBe(true);
    const kinds = new Set(inSynced.filter(isPersonWritten).flatMap((message) => extractLinks(message.text).map(classifyLink)));
    expect([...kinds].sort()).toEqual(['confluence', 'github_issue', 'github_pr', 'gitlab_mr', 'google_docs', 'jira', 'linear', 'notion', 'other']);
  });

  it('puts people and Pulse in the channels the sync scenarios need', () => {
    const conversation = (name: keyof typeof world.channels) => emulator.workspace.requireConversation(world.channels[name]);
    const { alice, bob, pulse, github } = world.users;

    expect(['general', 'eng-help', 'leads'].map((name) => conversation(name as 'general').members.has(pulse))).toEqual([true, true, true]);
    expect(['eng-prs', 'eng-archive', 'engineering', 'random', 'eng-secret'].map((name) => conversation(name as 'general').members.has(pulse))).toEqual([
      false, false, false, false, false,
    ]);
    expect(conversation('leads').members.has(alice)).toBe(false);
    expect([conversation('eng-help').members.has(bob), conversation('general').members.has(bob), conversation('eng-prs').members.has(bob)]).toEqual([true, true, false]);
    expect(conversation('eng-prs').members.has(github)).toBe(true);
    expect(conversation('eng-archive').isArchived).toBe(true);
    expect(conversation('eng-secret').kind).toBe('private');
    const pattern = new RegExp(world.autoJoinPattern);
    expect(Object.keys(world.channels).filter((name) => pattern.test(name)).sort()).toEqual(['eng-archive', 'eng-help', 'eng-prs', 'eng-secret']);
    expect(emulator.workspace.users.get(github)?.botId).toBe(world.githubBotId);
  });
});

describe('expected figures', () => {
  const figures = expectedFigures(world, fullScope);

  it('count each person’s messages as a direct count over the raw messages does', () => {
    const direct: Record<string, number> = {};
    for (const message of inSynced.filter((candidate) => atMs(candidate) >= world.lookback.fromMs && isPersonWritten(candidate))) {
      direct[message.user] = (direct[message.user] ?? 0) + 1;
    }
    expect(figures.messagesByPerson).toEqual(direct);
    expect(figures.totals.personMessages).toBe(Object.values(direct).reduce((sum, count) => sum + count, 0));
  });

  it('count help replies as a direct count does: others’ replies to a person’s question', () => {
    const byKey = new Map(world.messages.map((message) => [`${message.channel}:${message.ts}`, message]));
    const direct: Record<string, number> = {};
    for (const reply of inSynced.filter((message) => message.threadTs !== undefined && isPersonWritten(message))) {
      const root = byKey.get(`${reply.channel}:${reply.threadTs}`) as WorldMessage;
      if (!isPersonWritten(root) || !isQuestion(root.text) || root.user === reply.user) continue;
      direct[reply.user] = (direct[reply.user] ?? 0) + 1;
    }
    expect(figures.helpRepliesByPerson).toEqual(direct);
    expect(figures.totals.helpReplies).toBeGreaterThan(100);
  });

  it('count mentions received as a direct count of distinct <@…> in people’s messages does, self-mentions aside', () => {
    const direct: Record<string, number> = {};
    for (const message of inSynced.filter((candidate) => atMs(candidate) >= world.lookback.fromMs && isPersonWritten(candidate))) {
      for (const id of new Set([...message.text.matchAll(/<@([A-Z0-9]+)>/g)].map((match) => match[1] as string))) {
        if (id !== message.user) direct[id] = (direct[id] ?? 0) + 1;
      }
    }
    expect(figures.mentionsReceived).toEqual(direct);
  });

  it('see only the messages inside the range and the channels named', () => {
    const oneDay = expectedFigures(world, { channels: ['eng-help'], fromMs: NOW_MS - 10 * DAY_MS, toMs: NOW_MS - 9 * DAY_MS });
    const direct = world.messages.filter(
      (message) => message.channelName === 'eng-help' && atMs(message) >= NOW_MS - 10 * DAY_MS && atMs(message) < NOW_MS - 9 * DAY_MS,
    );
    expect(oneDay.totals.messages).toBe(direct.length);
    expect(Object.keys(oneDay.messagesByChannel)).toEqual([world.channels['eng-help']]);
    expect(() => expectedFigures(world, { channels: ['nope'], fromMs: 0, toMs: NOW_MS })).toThrow(/no channel named nope/);
  });

  it('group weeks by their Monday (UTC)', () => {
    expect(isoWeekStart('2025-11-13')).toBe('2025-11-10');
    expect(isoWeekStart('2025-11-10')).toBe('2025-11-10');
    expect(isoWeekStart('2025-11-16')).toBe('2025-11-10');
    const weekly = Object.values(figures.messagesByChannelWeek).flatMap((weeks) => Object.values(weeks));
    expect(weekly.reduce((sum, count) => sum + count, 0)).toBe(figures.totals.personMessages);
  });

  it('match the figures computed from what the emulator stored, rendered as Slack returns it', () => {
    const stored = [...syncedIds].flatMap((channel) =>
      emulator.workspace
        .listMessages(channel)
        .filter((message) => {
          const ms = Number(message.ts.split('.')[0]) * 1000;
          return ms >= world.lookback.fromMs && ms < NOW_MS;
        })
        .map((message) =>
          extractMessageMetadata(renderMessage(emulator.workspace, message, 'http://emulator/') as unknown as SlackMessageLike, {
            teamId: world.teamId,
            channelId: channel,
            storeText: false,
          }),
        ),
    );

    expect(stored).toHaveLength(figures.totals.messages);
    expect(threadDepth(stored)).toEqual(figures.threads);
    expect(messagesPerPersonChannelDay(stored)).toEqual(figures.messagesPerPersonChannelDay);
    expect(helpReplies(stored).reduce((sum, row) => sum + row.count, 0)).toBe(figures.totals.helpReplies);
    expect(reactionsGivenReceived(stored).reduce((sum, row) => sum + row.received, 0)).toBe(figures.totals.reactionsReceived);
  });
});
