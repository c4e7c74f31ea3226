/**
 * Analytics test data: small MessageMetadata factories, a
 * generator of realistic random workspaces and the ways a sync may write
 * them. What a query must return is worked out in analytics-reference.ts.
 */
import { LINK_KINDS } from '../../src/analytics/classify-link.ts';
import type { MessageMetadata, ReactionMetadata } from '../../src/analytics/message-metadata.ts';
import { isReply, threadKey, tsToMs } from '../../src/analytics/message-roles.ts';
import { dayOfMs, toStoredMessage, type StoredMessage } from '../../src/analytics/stored-message.ts';
import type { AnalyticsStore } from '../../src/db/analytics-store.ts';
import type { Random } from '../../src/emulator/seeded-random.ts';

// ---- seeded PRNG: the same seed gives the same workspace (shared with the playground's seed) ----

export { createRandom, type Random } from '../../src/emulator/seeded-random.ts';
// ---- small factories -------------------------------------------------------

export const TEAM = 'T0ACME';
export const OTHER_TEAM = 'T0OTHER';
export const CHANNELS = ['C01ENG', 'C02SUPPORT', 'C03RANDOM', 'C04INCIDENTS'] as const;
export const PEOPLE = ['U01ADA', 'U02BEA', 'U03CY', 'U04DEV', 'U05EVE', 'U06FIN', 'U07GUS', 'U08HAL'] as const;
const CI_BOT = { authorId: 'U0CIBOT', botId: 'B0CI', isBot: true } as const;
const WEBHOOK = { authorId: null, botId: 'B0HOOK', subtype: 'bot_message', isBot: true } as const;
const SLACKBOT = { authorId: 'USLACKBOT', botId: null, isBot: true } as const;
const EMOJI = ['+1', 'eyes', 'tada', 'pray', 'white_check_mark', 'rocket'];

/** 2024-01-01, a Monday; generated workspaces start here and cross two month ends. */
export const FIRST_DAY = dayOfMs(Date.UTC(2024, 0, 1));

/** A Slack ts `second` seconds into UTC day number `day`. */
export function tsAt(day: number, second: number, micros = 100): string {
  return `${day * 86_400 + second}.${String(micros).padStart(6, '0')}`;
}

export function dayOfTs(ts: string): number {
  return dayOfMs(tsToMs(ts));
}

export function message(overrides: Partial<MessageMetadata> & { ts: string }): MessageMetadata {
  return {
    teamId: TEAM, channelId: CHANNELS[0], threadTs: null, authorId: PEOPLE[0], botId: null, subtype: null, isBot: false,
    charCount: 12, replyCount: 0, replyUserIds: [], reactions: [], mentionedUserIds: [], linkKinds: [], fileCount: 0,
    edited: false, isQuestion: false, text: null, ...overrides,
  };
}

/** A thread root as Slack returns it once it has replies (thread_ts === ts). */
export function threadRoot(overrides: Partial<MessageMetadata> & { ts: string }): MessageMetadata {
  return message({ threadTs: overrides.ts, replyCount: 1, ...overrides });
}

export function reply(root: MessageMetadata, overrides: Partial<MessageMetadata> & { ts: string }): MessageMetadata {
  return message({ teamId: root.teamId, channelId: root.channelId, threadTs: root.ts, ...overrides });
}

// ---- random workspaces -----------------------------------------------------

export interface WorkspaceShape {
  teamId?: string;
  roots?: number;
  days?: number;
}

/**
 * Roots over `days` days in four channels, about half of them with 1–6
 * replies (some by the root's author, some by a bot, some broadcast, some
 * days later), plus a few replies whose root is older than the data. Bots of
 * every kind, Slack notices, questions, reactions with self-reactions and
 * counts above the listed users, mentions with self-mentions, every link kind.
 */
export function generateWorkspace(random: Random, shape: WorkspaceShape = {}): MessageMetadata[] {
  const { teamId = TEAM, roots = 260, days = 60 } = shape;
  const taken = new Set<string>();
  const freshTs = (channelId: string, seconds: number): string => {
    for (let offset = 0; ; offset += 1) {
      const ts = `${seconds + offset}.${String(random.int(0, 999_999)).padStart(6, '0')}`;
      if (!taken.has(`${channelId}:${ts}`)) {
        taken.add(`${channelId}:${ts}`);
        return ts;
      }
    }
  };
  const extras = (authorId: string | null): Partial<MessageMetadata> => ({
    charCount: random.int(1, 400),
    reactions: random.chance(0.35) ? random.sample(EMOJI, random.int(1, 3)).map((name) => randomReaction(random, name, authorId)) : [],
    mentionedUserIds: random.chance(0.3)
      ? random.sample([...PEOPLE, CI_BOT.authorId, ...(authorId ? [authorId, authorId] : [])], random.int(1, 3)).filter(unique)
      : [],
    linkKinds: random.chance(0.3) ? Array.from({ length: random.int(1, 3) }, () => random.pick(LINK_KINDS)) : [],
    edited: random.chance(0.1),
  });
  const messages: MessageMetadata[] = [];
  for (let index = 0; index < roots; index += 1) {
    const channelId = random.pick(CHANNELS);
    const seconds = (FIRST_DAY + random.int(0, days - 1)) * 86_400 + random.int(0, 86_399);
    const roll = random.next();
    const author: Partial<MessageMetadata> =
      roll < 0.08 ? { ...CI_BOT } : roll < 0.12 ? { ...WEBHOOK } : roll < 0.14 ? { ...SLACKBOT }
      : roll < 0.21 ? { authorId: random.pick(PEOPLE), subtype: random.pick(['channel_join', 'channel_topic', 'channel_purpose']) }
      : { authorId: random.pick(PEOPLE), subtype: random.pick([null, null, null, null, null, null, 'file_share', 'me_message']) };
    const isNotice = (author.subtype ?? '').startsWith('channel_');
    const ts = freshTs(channelId, seconds);
    const root = message({
      teamId, channelId, ts, ...author, ...extras(author.authorId ?? null),
      isQuestion: !isNotice && random.chance(author.isBot ? 0.2 : 0.35),
      fileCount: author.subtype === 'file_share' ? 1 : 0,
    });
    const replies = isNotice || !random.chance(author.isBot ? 0.3 : 0.5) ? [] : Array.from({ length: random.int(1, 6) }, () => {
      const delay = random.pick([random.int(5, 600), random.int(600, 6 * 3600), random.int(6 * 3600, 3 * 86_400)]);
      const by: Partial<MessageMetadata> =
        random.chance(0.1) ? { ...CI_BOT }
        : random.chance(0.25) && root.authorId && !root.isBot ? { authorId: root.authorId }
        : { authorId: random.pick(PEOPLE), subtype: random.chance(0.1) ? 'thread_broadcast' : null };
      return message({ teamId, channelId, threadTs: ts, ts: freshTs(channelId, seconds + delay), ...by, ...extras(by.authorId ?? null), isQuestion: random.chance(0.1) });
    });
    root.replyCount = replies.length;
    root.replyUserIds = replies.map((one) => one.authorId).filter((id): id is string => id !== null).filter(unique);
    // Slack sets thread_ts === ts on a root; a few roots carry only reply_count, a few keep thread_ts with no replies left.
    root.threadTs = replies.length > 0 ? (random.chance(0.95) ? ts : null) : random.chance(0.03) ? ts : null;
    messages.push(root, ...replies);
  }
  for (let orphan = 0; orphan < 5; orphan += 1) {
    const channelId = random.pick(CHANNELS);
    const rootTs = tsAt(FIRST_DAY - 3, random.int(0, 86_399));
    messages.push(message({ teamId, channelId, threadTs: rootTs, ts: freshTs(channelId, (FIRST_DAY + random.int(0, 3)) * 86_400), authorId: random.pick(PEOPLE) }));
  }
  return messages;
}

function randomReaction(random: Random, name: string, authorId: string | null): ReactionMetadata {
  const listed = random.sample([...PEOPLE, ...(authorId && random.chance(0.25) ? [authorId] : [])], random.int(0, 3)).filter(unique);
  return { name, userIds: listed, count: listed.length + (random.chance(0.2) ? random.int(1, 4) : 0) };
}

function unique<T>(value: T, index: number, all: readonly T[]): boolean {
  return all.indexOf(value) === index;
}

// ---- ways a sync may write the same messages -------------------------------

/** Stored rows, each root carrying the ts of its newest reply in the data as Slack's latest_reply. */
export function storedMessages(messages: readonly MessageMetadata[]): StoredMessage[] {
  const latest = new Map<string, string>();
  for (const one of messages.filter(isReply)) {
    const key = threadKey(one, one.threadTs as string);
    if (tsToMs(one.ts) > tsToMs(latest.get(key) ?? '0')) latest.set(key, one.ts);
  }
  return messages.map((one) => toStoredMessage(one, latest.get(threadKey(one, one.ts)) ?? null));
}

export function writeInRandomBatches(store: AnalyticsStore, teamId: string, messages: readonly MessageMetadata[], random: Random): void {
  const rows = random.shuffle(storedMessages(messages));
  while (rows.length > 0) store.writeMessages(teamId, rows.splice(0, random.int(1, 7)));
}

export const WRITE_WAYS: { name: string; write(store: AnalyticsStore, teamId: string, messages: readonly MessageMetadata[], random: Random): void }[] = [
  { name: 'in one batch', write: (store, teamId, messages) => store.writeMessages(teamId, storedMessages(messages)) },
  { name: 'in many small batches in random order', write: writeInRandomBatches },
  {
    name: 'one message per batch, newest first (every reply before its root)',
    write: (store, teamId, messages) => {
      const rows = storedMessages(messages).sort((a, b) => b.tsMs - a.tsMs);
      for (const row of rows) store.writeMessages(teamId, [row]);
    },
  },
  {
    name: 'twice (one batch, then again in random small batches)',
    write: (store, teamId, messages, random) => {
      store.writeMessages(teamId, storedMessages(messages));
      writeInRandomBatches(store, teamId, messages, random);
    },
  },
];
