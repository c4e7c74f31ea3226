/**
 * The analytics test world's history, drawn from one seeded Random in a fixed
 * order (the same seed, the same messages): each channel's people posting
 * with the extras people add (mentions, links, reactions, edits, files),
 * threads with replies minutes to hours apart, GitHub bot posts, old messages
 * beyond the lookback and Slack's join notices.
 */
import type { SlackEmulator } from '../../src/emulator/driver.ts';
import { createRandom as createSeededRandom, type Random } from '../../src/emulator/seeded-random.ts';
import {
  ACTIVE_DAYS,
  ACTIVITY,
  DAY_MS,
  HOUR_MS,
  LOOKBACK_DAYS,
  MINUTE_MS,
  PLANS,
  SYNCED_CHANNELS,
  UNREAD_CHANNELS,
  type AnalyticsWorld,
  type ChannelName,
  type PersonName,
  type WorldMessage,
} from './analytics-world-shape.ts';
import { AUTHOR_REPLIES, EMOJI, QUESTIONS, randomLink, REPLIES, REPOS, STATEMENTS } from './analytics-world-vocabulary.ts';

/**
 * The shared mulberry32 (src/emulator/seeded-random.ts), with this world's own
 * `sample`: one draw per item taken rather than a whole shuffle, which the
 * worlds the tests expect were generated with (the same seed, the same world).
 */
function createRandom(seed: number): Random {
  const random = createSeededRandom(seed);
  const sample = <T>(items: readonly T[], count: number): T[] => {
    const pool = [...items];
    const picked: T[] = [];
    while (picked.length < count && pool.length > 0) picked.push(pool.splice(random.int(0, pool.length - 1), 1)[0] as T);
    return picked;
  };
  return { ...random, sample };
}

interface Builder {
  random: Random;
  emulator: SlackEmulator;
  world: AnalyticsWorld;
  usedTs: Map<string, Set<string>>;
  files: number;
}

/**
 * Draws every channel's history from `world.seed` into `world.messages`, in
 * generation order (the caller sorts); uploads the files some messages share.
 */
export function generateWorldMessages(emulator: SlackEmulator, world: AnalyticsWorld): void {
  const builder: Builder = { random: createRandom(world.seed), emulator, world, usedTs: new Map(), files: 0 };
  for (const channel of [...SYNCED_CHANNELS, ...UNREAD_CHANNELS]) fillChannel(builder, channel);
}

/** A ts at `ms` (seconds kept) with random microseconds, unique in its channel. */
function uniqueTs(builder: Builder, channel: string, ms: number): string {
  const used = builder.usedTs.get(channel) ?? new Set<string>();
  builder.usedTs.set(channel, used);
  for (;;) {
    const ts = `${Math.floor(ms / 1000)}.${String(builder.random.int(0, 999_999)).padStart(6, '0')}`;
    if (!used.has(ts)) {
      used.add(ts);
      return ts;
    }
  }
}

function pickAuthor(random: Random, members: readonly PersonName[]): PersonName {
  const total = members.reduce((sum, name) => sum + ACTIVITY[name], 0);
  let roll = random.next() * total;
  for (const name of members) {
    roll -= ACTIVITY[name];
    if (roll < 0) return name;
  }
  return members.at(-1) as PersonName;
}

/** A person's message with the extras people add: mentions, links, reactions, edits, files. */
function addPersonMessage(
  builder: Builder,
  channel: ChannelName,
  ms: number,
  author: PersonName,
  text: string,
  extra: { threadTs?: string; replyBroadcast?: boolean } = {},
): WorldMessage {
  const { random, world } = builder;
  const members = PLANS[channel].members;
  const ids = world.users;
  let body = text;
  if (random.chance(0.15)) body += ` cc <@${ids[random.pick(members.filter((name) => name !== author))]}>`;
  if (random.chance(0.02)) body += ` (note to self <@${ids[author]}>)`;
  // The same person twice in one message counts once.
  if (random.chance(0.03)) body = `<@${ids[random.pick(members)]}> ${body} <@${ids[random.pick(members)]}>`;
  if (random.chance(0.22)) {
    const link = randomLink(random);
    body += ` see ${link}`;
    // A second link, sometimes the same one again (it counts once).
    if (random.chance(0.15)) body += ` and ${random.chance(0.2) ? link : randomLink(random)}`;
  }
  const withFile = !extra.replyBroadcast && random.chance(0.03);
  const fileIds = withFile ? [attachFile(builder, ids[author])] : [];
  const message: WorldMessage = {
    channel: world.channels[channel],
    channelName: channel,
    ts: uniqueTs(builder, world.channels[channel], ms),
    user: ids[author],
    text: body,
    reactions: random.chance(0.3) ? randomReactions(random, members.map((name) => ids[name]), ids[author]) : [],
    edited: random.chance(0.06),
    fileIds,
    ...(withFile ? { subtype: 'file_share' } : {}),
    ...(extra.replyBroadcast ? { subtype: 'thread_broadcast', replyBroadcast: true } : {}),
    ...(extra.threadTs ? { threadTs: extra.threadTs } : {}),
  };
  world.messages.push(message);
  return message;
}

function attachFile(builder: Builder, owner: string): string {
  builder.files += 1;
  return builder.emulator.uploadAsUser(owner, `screenshot-${builder.files}.png`, Buffer.from(`screenshot ${builder.files}`), 'image/png');
}

function randomReactions(random: Random, people: readonly string[], author: string): { name: string; users: string[] }[] {
  return random.sample(EMOJI, random.int(1, 3)).map((name) => {
    const users = random.sample(people.filter((id) => id !== author), random.int(1, 4));
    // Some people react to their own messages; signals must not count those.
    if (random.chance(0.12)) users.push(author);
    return { name, users: users.length > 0 ? users : [author] };
  });
}

function addBotMessage(builder: Builder, channel: ChannelName, ms: number, threadTs?: string): WorldMessage {
  const { random, world } = builder;
  const n = random.int(1, 4_000);
  const repo = random.pick(REPOS);
  const text = threadTs
    ? `CI passed for <https://github.com/acme/${repo}/pull/${n}|#${n}>`
    : `[acme/${repo}] Pull request opened: <https://github.com/acme/${repo}/pull/${n}|#${n} ${random.pick(STATEMENTS)}>`;
  const message: WorldMessage = {
    channel: world.channels[channel],
    channelName: channel,
    ts: uniqueTs(builder, world.channels[channel], ms),
    user: world.users.github,
    botId: world.githubBotId,
    subtype: 'bot_message',
    text,
    reactions: random.chance(0.15) ? randomReactions(random, PLANS[channel].members.map((name) => world.users[name]), world.users.github) : [],
    edited: false,
    fileIds: [],
    ...(threadTs ? { threadTs } : {}),
  };
  world.messages.push(message);
  return message;
}

/** Replies strictly after the root, minutes to hours apart, all before nowMs. */
function addThread(builder: Builder, channel: ChannelName, root: WorldMessage, rootMs: number, rootAuthor: PersonName | 'github'): void {
  const { random } = builder;
  const roll = random.next();
  const count = roll < 0.08 ? random.int(10, 16) : roll < 0.3 ? random.int(5, 9) : random.int(1, 4);
  const members = PLANS[channel].members;
  let at = rootMs;
  for (let index = 0; index < count; index += 1) {
    at += random.int(20_000, 4 * HOUR_MS);
    if (channel === 'eng-prs' && rootAuthor !== 'github' && random.chance(0.1)) {
      addBotMessage(builder, channel, at, root.ts);
      continue;
    }
    const byAuthor = rootAuthor !== 'github' && random.chance(0.25);
    const author = byAuthor ? rootAuthor : pickAuthor(random, members.filter((name) => name !== rootAuthor));
    const broadcast = (channel === 'general' || channel === 'eng-help') && random.chance(0.02);
    addPersonMessage(builder, channel, at, author, random.pick(byAuthor ? AUTHOR_REPLIES : REPLIES), { threadTs: root.ts, replyBroadcast: broadcast });
  }
}

function fillChannel(builder: Builder, channel: ChannelName): void {
  const { random, world } = builder;
  const plan = PLANS[channel];
  const activeFrom = world.nowMs - ACTIVE_DAYS * DAY_MS;
  for (let index = 0; index < plan.topLevel; index += 1) {
    const threaded = random.chance(plan.threadShare);
    // Thread roots leave room for up to 16 replies four hours apart before now.
    const ms = threaded ? random.int(activeFrom + HOUR_MS, world.nowMs - 3 * DAY_MS) : random.int(activeFrom + MINUTE_MS, world.nowMs - MINUTE_MS);
    const author = pickAuthor(random, plan.members);
    const text = random.chance(plan.questionShare) ? random.pick(QUESTIONS) : random.pick(STATEMENTS);
    const root = addPersonMessage(builder, channel, ms, author, text);
    if (threaded) addThread(builder, channel, root, ms, author);
  }
  for (let index = 0; index < plan.githubPosts; index += 1) {
    const ms = random.int(activeFrom + HOUR_MS, world.nowMs - 3 * DAY_MS);
    const root = addBotMessage(builder, channel, ms);
    if (random.chance(0.15)) addThread(builder, channel, root, ms, 'github');
  }
  for (let index = 0; index < plan.oldMessages; index += 1) {
    const ms = random.int(world.nowMs - 180 * DAY_MS, world.nowMs - (LOOKBACK_DAYS + 1) * DAY_MS);
    addPersonMessage(builder, channel, ms, pickAuthor(random, plan.members), random.pick([...QUESTIONS, ...STATEMENTS]));
  }
  for (const name of random.sample(plan.members, 3)) {
    world.messages.push({
      channel: world.channels[channel],
      channelName: channel,
      ts: uniqueTs(builder, world.channels[channel], random.int(activeFrom, world.nowMs - MINUTE_MS)),
      user: world.users[name],
      subtype: 'channel_join',
      text: `<@${world.users[name]}> has joined the channel`,
      reactions: [],
      edited: false,
      fileIds: [],
    });
  }
}
