/**
 * A seeded, deterministic workspace for analytics end-to-end tests: nine
 * people, a GitHub bot, channels Pulse must read and channels it must never
 * read, ~2,800 messages in the synced channels over the last 60 days plus ~100
 * older than 90 days, a few hundred more where Pulse must not read,
 * and `expectedFigures`, the reference numbers computed with Pulse's own pure
 * signal functions over exactly the messages a correct sync would store.
 *
 * The emulator posts Slack's "has joined the channel" notice when Pulse joins
 * eng-prs; that notice is live (at the emulator's clock), not part of the
 * world, and no signal counts it.
 */
import { extractMessageMetadata, type SlackMessageLike } from '../../src/analytics/message-metadata.ts';
import type { LinkKind } from '../../src/analytics/classify-link.ts';
import { compareText, tsToMs } from '../../src/analytics/message-roles.ts';
import {
  channelActivity,
  helpReplies,
  linksByKind,
  mentionsGivenReceived,
  messagesPerPersonChannelDay,
  reactionsGivenReceived,
  threadDepth,
  threadsStarted,
  type ChannelActivity,
  type PersonChannelDayCount,
  type ThreadDepth,
} from '../../src/analytics/signals.ts';
import type { HistoryMessage, SlackEmulator } from '../../src/emulator/driver.ts';
import { createRandom as createSeededRandom, type Random } from '../../src/emulator/seeded-random.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Recent activity spans this many days before `nowMs`. */
export const ACTIVE_DAYS = 60;
/** The lookback the world is built for; the old messages sit just beyond it. */
export const LOOKBACK_DAYS = 90;
/** The admin's auto-join pattern the channel names are chosen against. */
export const AUTO_JOIN_PATTERN = '^eng-';

const PEOPLE = ['ada', 'alice', 'bob', 'carol', 'dan', 'erin', 'frank', 'grace', 'heidi'] as const;
export type PersonName = (typeof PEOPLE)[number];
/** How often each person posts, relative to the others. */
const ACTIVITY: Record<PersonName, number> = { ada: 0.6, alice: 1.4, bob: 1, carol: 1.2, dan: 0.8, erin: 1, frank: 0.7, grace: 0.9, heidi: 0.5 };

/** Channels Pulse syncs: its member channels plus eng-prs, which the pattern auto-joins. */
export const SYNCED_CHANNELS = ['general', 'eng-help', 'eng-prs', 'leads'] as const;
/** Channels Pulse must never read: not a member and not joinable (no match, archived or private). */
export const UNREAD_CHANNELS = ['random', 'engineering', 'eng-archive', 'eng-secret'] as const;
export type ChannelName = (typeof SYNCED_CHANNELS)[number] | (typeof UNREAD_CHANNELS)[number];

interface ChannelPlan {
  members: readonly PersonName[];
  topLevel: number;
  threadShare: number;
  questionShare: number;
  githubPosts: number;
  oldMessages: number;
}

const ENGINEERS: PersonName[] = ['alice', 'bob', 'carol', 'dan', 'erin', 'frank', 'grace', 'heidi'];
const PLANS: Record<ChannelName, ChannelPlan> = {
  general: { members: PEOPLE, topLevel: 420, threadShare: 0.25, questionShare: 0.2, githubPosts: 0, oldMessages: 26 },
  'eng-help': { members: ENGINEERS, topLevel: 300, threadShare: 0.55, questionShare: 0.75, githubPosts: 0, oldMessages: 26 },
  'eng-prs': { members: ['alice', 'carol', 'dan', 'erin', 'frank', 'grace'], topLevel: 230, threadShare: 0.3, questionShare: 0.15, githubPosts: 110, oldMessages: 26 },
  leads: { members: ['ada', 'carol', 'dan'], topLevel: 130, threadShare: 0.3, questionShare: 0.3, githubPosts: 0, oldMessages: 26 },
  random: { members: PEOPLE, topLevel: 90, threadShare: 0.25, questionShare: 0.2, githubPosts: 0, oldMessages: 0 },
  engineering: { members: ['alice', 'bob', 'carol', 'erin', 'heidi'], topLevel: 70, threadShare: 0.3, questionShare: 0.4, githubPosts: 12, oldMessages: 0 },
  'eng-archive': { members: ['alice', 'carol', 'dan'], topLevel: 50, threadShare: 0.3, questionShare: 0.3, githubPosts: 0, oldMessages: 0 },
  'eng-secret': { members: ['erin', 'frank', 'grace'], topLevel: 60, threadShare: 0.3, questionShare: 0.3, githubPosts: 0, oldMessages: 0 },
};

/** One imported message, as given to the emulator (Slack's subtype and thread_ts included). */
export interface WorldMessage extends HistoryMessage {
  channel: string;
  channelName: ChannelName;
  /** Always set: a bot message names the bot's user, as Slack does for app bots. */
  user: string;
  reactions: { name: string; users: string[] }[];
  edited: boolean;
  fileIds: string[];
}

export interface AnalyticsWorld {
  seed: number;
  nowMs: number;
  teamId: string;
  /** The window a 90-day sync reads: fromMs ≤ ts < toMs. */
  lookback: { days: number; fromMs: number; toMs: number };
  autoJoinPattern: string;
  users: Record<PersonName | 'github' | 'pulse', string>;
  githubBotId: string;
  channels: Record<ChannelName, string>;
  syncedChannels: readonly ChannelName[];
  unreadChannels: readonly ChannelName[];
  /** Every message imported, oldest first. */
  messages: WorldMessage[];
}

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

const QUESTIONS = [
  'How do I rotate the staging database credentials?',
  'Why is the deploy pipeline stuck on the migrate step?',
  'Is there a way to rerun only the failed tests?',
  'Can someone review my change to the rate limiter?',
  "What's the right place to put feature flags?",
  'Where are the on-call runbooks these days?',
  'does anyone know why the nightly build is red',
  'Does anyone know who owns the billing service',
  'hi team, does anyone know how to get access to the prod logs',
  'quick question: which region does the search cluster run in?',
];
const STATEMENTS = [
  'Deployed the api to production',
  'FYI: the staging cluster will be down for maintenance tonight',
  'Shipped the new onboarding flow :rocket:',
  "Writing up the postmortem for yesterday's incident",
  'Reminder: retro at 3pm',
  "Heads up, I'm refactoring the auth middleware this week",
  'Merged the dependency bumps',
  'Notes from the planning session',
];
const REPLIES = [
  'I had the same problem last week, try clearing the cache',
  "It's in the wiki under Runbooks",
  'Looking into it now',
  '+1, seeing this too',
  'Pushed a fix',
  'Can you share the error?',
  'Done :white_check_mark:',
  'Nice work',
];
const AUTHOR_REPLIES = ['Thanks all!', 'Update: fixed by restarting the worker', 'Still failing for me', 'Thanks, that worked!'];
const EMOJI = ['thumbsup', 'eyes', 'white_check_mark', 'tada', 'pray', 'heart', 'joy', 'rocket'];
const REPOS = ['api', 'web', 'billing', 'infra'];

/** A work-item link of every kind classify-link.ts knows, in Slack's `<url>` / `<url|label>` markup. */
function randomLink(random: Random): string {
  const n = random.int(1, 4_000);
  const repo = random.pick(REPOS);
  const url = random.pick([
    `https://github.com/acme/${repo}/pull/${n}`,
    `https://github.com/acme/${repo}/issues/${n}`,
    `https://gitlab.com/acme/${repo}/-/merge_requests/${n}`,
    `https://acme.atlassian.net/browse/ABC-${n % 300}`,
    `https://linear.app/acme/issue/ENG-${n}/flaky-login-test`,
    `https://docs.google.com/document/d/1x${n}Qa/edit`,
    `https://www.notion.so/acme/Design-notes-${n.toString(16)}`,
    `https://acme.atlassian.net/wiki/spaces/ENG/pages/${n}/Runbook`,
    `https://status.acme.io/incidents/${n}`,
    `https://grafana.acme.io/d/api-latency?from=now-${n % 24}h`,
  ]);
  return random.chance(0.5) ? `<${url}>` : `<${url}|${repo} #${n}>`;
}

interface Builder {
  random: Random;
  emulator: SlackEmulator;
  world: AnalyticsWorld;
  usedTs: Map<string, Set<string>>;
  files: number;
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

/** Builds the world in `emulator` (people, channels, history; no events) and describes it. */
export function seedAnalyticsWorld(emulator: SlackEmulator, options: { nowMs?: number; seed?: number } = {}): AnalyticsWorld {
  const nowMs = options.nowMs ?? Math.floor(Date.now() / 1000) * 1000;
  const seed = options.seed ?? 20_240_601;
  const { admin, alice, bob, general, random: randomChannel, leads } = emulator.seed;
  const added = Object.fromEntries(
    (['carol', 'dan', 'erin', 'frank', 'grace', 'heidi'] as const).map((name) => [
      name,
      emulator.addPerson({ name, realName: `${name[0]?.toUpperCase()}${name.slice(1)} Example` }).id,
    ]),
  ) as Record<Exclude<PersonName, 'ada' | 'alice' | 'bob'>, string>;
  const github = emulator.addBotUser({ name: 'github', realName: 'GitHub' });
  const users = { ada: admin.id, alice: alice.id, bob: bob.id, ...added, github: github.id, pulse: emulator.botUserId };
  const idsOf = (channel: ChannelName) => PLANS[channel].members.map((name) => users[name]);

  emulator.addMembers(general.id, idsOf('general'));
  emulator.addMembers(randomChannel.id, idsOf('random'));
  emulator.addMembers(leads.id, idsOf('leads'));
  const create = (name: ChannelName, extra: { kind?: 'public' | 'private'; archived?: boolean; botMember?: boolean; github?: boolean }) =>
    emulator.createChannel({
      name,
      kind: extra.kind ?? 'public',
      members: [...idsOf(name), ...(extra.github ? [github.id] : [])],
      archived: extra.archived ?? false,
      botMember: extra.botMember ?? false,
    }).id;
  const channels: Record<ChannelName, string> = {
    general: general.id,
    'eng-help': create('eng-help', { botMember: true }),
    'eng-prs': create('eng-prs', { github: true }),
    leads: leads.id,
    random: randomChannel.id,
    engineering: create('engineering', { github: true }),
    'eng-archive': create('eng-archive', { archived: true }),
    'eng-secret': create('eng-secret', { kind: 'private' }),
  };

  const world: AnalyticsWorld = {
    seed,
    nowMs,
    teamId: emulator.workspace.team.id,
    lookback: { days: LOOKBACK_DAYS, fromMs: nowMs - LOOKBACK_DAYS * DAY_MS, toMs: nowMs },
    autoJoinPattern: AUTO_JOIN_PATTERN,
    users,
    githubBotId: github.botId,
    channels,
    syncedChannels: SYNCED_CHANNELS,
    unreadChannels: UNREAD_CHANNELS,
    messages: [],
  };
  const builder: Builder = { random: createRandom(seed), emulator, world, usedTs: new Map(), files: 0 };
  for (const channel of [...SYNCED_CHANNELS, ...UNREAD_CHANNELS]) fillChannel(builder, channel);
  // Every ts has ten digits of seconds and six of micros, so text order is time order.
  world.messages.sort((a, b) => compareText(a.ts, b.ts) || compareText(a.channel, b.channel));
  for (const channel of Object.values(channels)) {
    emulator.importHistory(channel, world.messages.filter((message) => message.channel === channel));
  }
  return world;
}

// ——— Reference figures ———

export interface ExpectedFigures {
  channelIds: string[];
  fromMs: number;
  toMs: number;
  /** Person messages (roots, replies, broadcasts, file shares) per author. */
  messagesByPerson: Record<string, number>;
  messagesByChannel: Record<string, number>;
  /** Channel id → ISO week start (Monday, UTC, YYYY-MM-DD) → person messages. */
  messagesByChannelWeek: Record<string, Record<string, number>>;
  messagesPerPersonChannelDay: PersonChannelDayCount[];
  threadsStartedByPerson: Record<string, number>;
  helpRepliesByPerson: Record<string, number>;
  threads: ThreadDepth[];
  reactionsGiven: Record<string, number>;
  reactionsReceived: Record<string, number>;
  mentionsGiven: Record<string, number>;
  mentionsReceived: Record<string, number>;
  linksByKind: Partial<Record<LinkKind, number>>;
  linksByPerson: Record<string, Partial<Record<LinkKind, number>>>;
  linksByChannel: Record<string, Partial<Record<LinkKind, number>>>;
  channelActivity: Record<string, ChannelActivity>;
  totals: {
    /** Every message in scope: people's, bots' and Slack's notices. */
    messages: number;
    personMessages: number;
    botMessages: number;
    threads: number;
    helpReplies: number;
    reactionsGiven: number;
    reactionsReceived: number;
    mentions: number;
    links: number;
  };
}

/**
 * The figures Pulse should report for `channels` (names) over
 * fromMs ≤ ts < toMs: the world's messages in scope, shaped as
 * conversations.history/replies return them (a root carries Slack's
 * reply_count and reply_users over its whole thread), through
 * extractMessageMetadata and the signal functions. People with no count are
 * left out of the per-person objects.
 */
export function expectedFigures(world: AnalyticsWorld, scope: { channels: readonly string[]; fromMs: number; toMs: number }): ExpectedFigures {
  const channelIds = scope.channels.map((name) => {
    const id = world.channels[name as ChannelName];
    if (!id) throw new Error(`The analytics world has no channel named ${name}`);
    return id;
  });
  const threads = new Map<string, WorldMessage[]>();
  for (const message of world.messages) {
    if (message.threadTs === undefined) continue;
    const key = `${message.channel}:${message.threadTs}`;
    threads.set(key, [...(threads.get(key) ?? []), message]);
  }
  const inScope = world.messages.filter((message) => {
    const at = tsToMs(message.ts);
    return channelIds.includes(message.channel) && at >= scope.fromMs && at < scope.toMs;
  });
  const metadata = inScope.map((message) =>
    extractMessageMetadata(asSlackReturnsIt(message, threads.get(`${message.channel}:${message.ts}`) ?? []), {
      teamId: world.teamId,
      channelId: message.channel,
      storeText: false,
    }),
  );

  const perDay = messagesPerPersonChannelDay(metadata);
  const messagesByPerson: Record<string, number> = {};
  const messagesByChannel: Record<string, number> = {};
  const messagesByChannelWeek: Record<string, Record<string, number>> = {};
  for (const row of perDay) {
    add(messagesByPerson, row.personId, row.messages);
    add(messagesByChannel, row.channelId, row.messages);
    add((messagesByChannelWeek[row.channelId] ??= {}), isoWeekStart(row.day), row.messages);
  }
  const reactions = reactionsGivenReceived(metadata);
  const mentions = mentionsGivenReceived(metadata);
  const links = linksByKind(metadata, 'person');
  const linksByKindTotal: Partial<Record<LinkKind, number>> = {};
  const linksByPerson: Record<string, Partial<Record<LinkKind, number>>> = {};
  for (const row of links) {
    add(linksByKindTotal, row.kind, row.links);
    add((linksByPerson[row.key] ??= {}), row.kind, row.links);
  }
  const linksByChannel: Record<string, Partial<Record<LinkKind, number>>> = {};
  for (const row of linksByKind(metadata, 'channel')) add((linksByChannel[row.key] ??= {}), row.kind, row.links);
  const depth = threadDepth(metadata);
  const help = countsByPerson(helpReplies(metadata).map((row) => [row.personId, row.count]));
  const activity = channelActivity(metadata);

  return {
    channelIds,
    fromMs: scope.fromMs,
    toMs: scope.toMs,
    messagesByPerson,
    messagesByChannel,
    messagesByChannelWeek,
    messagesPerPersonChannelDay: perDay,
    threadsStartedByPerson: countsByPerson(threadsStarted(metadata).map((row) => [row.personId, row.count])),
    helpRepliesByPerson: help,
    threads: depth,
    reactionsGiven: countsByPerson(reactions.map((row) => [row.personId, row.given])),
    reactionsReceived: countsByPerson(reactions.map((row) => [row.personId, row.received])),
    mentionsGiven: countsByPerson(mentions.map((row) => [row.personId, row.given])),
    mentionsReceived: countsByPerson(mentions.map((row) => [row.personId, row.received])),
    linksByKind: linksByKindTotal,
    linksByPerson,
    linksByChannel,
    channelActivity: Object.fromEntries(activity.map((row) => [row.channelId, row])),
    totals: {
      messages: inScope.length,
      personMessages: sum(Object.values(messagesByPerson)),
      botMessages: sum(activity.map((row) => row.botMessages)),
      threads: depth.length,
      helpReplies: sum(Object.values(help)),
      reactionsGiven: sum(reactions.map((row) => row.given)),
      reactionsReceived: sum(reactions.map((row) => row.received)),
      mentions: sum(mentions.map((row) => row.given)),
      links: sum(links.map((row) => row.links)),
    },
  };
}

/** A world message as conversations.history / conversations.replies return it. */
function asSlackReturnsIt(message: WorldMessage, replies: readonly WorldMessage[]): SlackMessageLike {
  const thread =
    message.threadTs !== undefined
      ? { thread_ts: message.threadTs }
      : replies.length > 0
        ? { thread_ts: message.ts, reply_count: replies.length, reply_users: [...new Set(replies.map((reply) => reply.user))] }
        : {};
  return {
    ts: message.ts,
    user: message.user,
    text: message.text,
    ...(message.botId ? { bot_id: message.botId } : {}),
    ...(message.subtype ? { subtype: message.subtype } : {}),
    ...thread,
    reactions: message.reactions.map((reaction) => ({ name: reaction.name, users: [...reaction.users], count: reaction.users.length })),
    ...(message.fileIds.length > 0 ? { files: message.fileIds.map((id) => ({ id })) } : {}),
    ...(message.edited ? { edited: { user: message.botId ?? message.user } } : {}),
  };
}

/** The Monday (UTC) starting the ISO week of a YYYY-MM-DD day. */
export function isoWeekStart(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return new Date(date.getTime() - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}

function add<K extends string>(target: Partial<Record<K, number>>, key: K, by: number): void {
  target[key] = (target[key] ?? 0) + by;
}

function countsByPerson(rows: [string, number][]): Record<string, number> {
  return Object.fromEntries(rows.filter(([, count]) => count !== 0));
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
