/**
 * The bench's made-up workspace: 40 channels, 200 people and six bots over one
 * year, Zipf-ish activity, 40% replies, a third of thread roots asking
 * questions, each channel's history shaped as Slack's API returns it. Every
 * draw comes from one seeded Random in a fixed order: the same seed gives the
 * same messages, byte for byte.
 */
import type { SlackMessageLike } from '../../src/analytics/message-metadata.ts';
import { MS_PER_DAY } from '../../src/analytics/stored-message.ts';
import type { Random } from '../../src/emulator/seeded-random.ts';
import { BOT_NAMES, BOT_OPENERS, CHANNEL_NAMES, drawLink, personText, phrase, reactionsOf } from './message-text.ts';

/** What the sync asks conversations.history and conversations.replies for (HISTORY_PAGE_SIZE in src/slack/analytics-slack-source.ts). */
export const PAGE_SIZE = 200;
export const TEAM_ID = 'T0PULSEBNCH';
export const CHANNEL_COUNT = 40;
export const PEOPLE_COUNT = 200;
/** 2025-01-01T00:00:00Z: the year the workspace covers. */
export const YEAR_START_MS = Date.UTC(2025, 0, 1);
export const YEAR_DAYS = 365;
export const YEAR_END_MS = YEAR_START_MS + YEAR_DAYS * MS_PER_DAY;
const REPLY_FRACTION = 0.4;

/** Cumulative Zipf weights 1/k^s, normalised; draw with `drawZipf`. */
function zipfTable(n: number, exponent: number): number[] {
  const weights = Array.from({ length: n }, (_, index) => 1 / (index + 1) ** exponent);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let running = 0;
  return weights.map((weight) => (running += weight / total));
}

function drawZipf(random: Random, cumulative: readonly number[]): number {
  const target = random.next();
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((cumulative[middle] as number) < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Log-normal with the given median, for waits between messages. */
const logNormal = (random: Random, median: number, sigma: number) =>
  median * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next()));

function slackId(random: Random, prefix: string, taken: Set<string>): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  for (let attempt = 0; attempt < 100; attempt += 1) {
    let id = `${prefix}0`;
    for (let index = 0; index < 9; index += 1) id += alphabet[Math.floor(random.next() * alphabet.length)];
    if (!taken.has(id)) return (taken.add(id), id);
  }
  throw new Error('could not draw a unique Slack id');
}

interface Bot {
  botId: string;
  username: string;
  /** Apps post with a user and bot_id and no subtype; legacy integrations with subtype bot_message and no user. */
  user?: string;
}

export interface Workspace {
  people: string[];
  bots: Bot[];
  channels: { id: string; name: string; weight: number }[];
  peopleZipf: number[];
}

export function createWorkspace(random: Random): Workspace {
  const taken = new Set<string>();
  const people = Array.from({ length: PEOPLE_COUNT }, () => slackId(random, 'U', taken));
  const bots: Bot[] = BOT_NAMES.map((username, index) => ({
    botId: slackId(random, 'B', taken),
    username,
    ...(index % 2 === 0 ? { user: slackId(random, 'U', taken) } : {}),
  }));
  const channelZipf = zipfTable(CHANNEL_COUNT, 0.8);
  const channels = channelZipf.map((cumulative, index) => ({
    id: slackId(random, 'C', taken),
    name: `${CHANNEL_NAMES[index % CHANNEL_NAMES.length]}${index < CHANNEL_NAMES.length ? '' : `-${Math.floor(index / CHANNEL_NAMES.length)}`}`,
    weight: cumulative - (channelZipf[index - 1] ?? 0),
  }));
  return { people, bots, channels, peopleZipf: zipfTable(PEOPLE_COUNT, 1) };
}

/** Messages per channel, summing to `total`, busiest channel first. */
export function splitByChannel(workspace: Workspace, total: number): number[] {
  const counts = workspace.channels.map((channel) => Math.floor(channel.weight * total));
  counts[0] = (counts[0] as number) + total - counts.reduce((sum, count) => sum + count, 0);
  return counts;
}

/** A working-hours instant of the year, in microseconds, weekends quieter. */
function drawInstantUs(random: Random): number {
  let day = 0;
  for (let attempt = 0; attempt < 8; attempt += 1) {
    day = Math.floor(random.next() * YEAR_DAYS);
    const weekday = (Math.floor(YEAR_START_MS / MS_PER_DAY) + day + 3) % 7; // 0 = Monday
    if (weekday < 5 || random.chance(0.1)) break;
  }
  const hour = 6 + (random.next() + random.next() + random.next()) * 4.3; // peaks early afternoon UTC
  return Math.floor((YEAR_START_MS + day * MS_PER_DAY + hour * 3_600_000) * 1000 + random.next() * 3_600_000_000);
}

const tsOfUs = (us: number) => `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;

function uniqueUs(us: number, taken: Set<number>): number {
  let value = Math.min(us, YEAR_END_MS * 1000 - 1);
  while (taken.has(value)) value -= 1;
  taken.add(value);
  return value;
}

export interface ChannelHistory {
  /** Top-level messages, newest first, as conversations.history returns them. */
  topLevel: SlackMessageLike[];
  /** Each thread's replies, oldest first, by root ts. */
  replies: Map<string, SlackMessageLike[]>;
}

/** Replies per thread: mostly a few, sometimes a long discussion. */
function drawReplyCount(random: Random): number {
  return random.chance(0.93) ? 1 + Math.floor(-Math.log(1 - random.next()) * 1.6) : 6 + Math.floor(random.next() ** 3 * 120);
}

type Root = { us: number; replies: number };

/** The channel's top-level instants, newest first, with the replies each thread root gets (REPLY_FRACTION of all messages). */
function drawRoots(random: Random, messages: number, taken: Set<number>): Root[] {
  const replyBudget = Math.round(messages * REPLY_FRACTION);
  const roots = Array.from({ length: messages - replyBudget }, () => ({ us: uniqueUs(drawInstantUs(random), taken), replies: 0 }));
  let remaining = replyBudget;
  for (let attempt = 0; remaining > 0 && attempt < roots.length * 20; attempt += 1) {
    const root = roots[Math.floor(random.next() * roots.length)] as Root;
    if (root.replies > 0) continue;
    root.replies = Math.min(remaining, drawReplyCount(random));
    remaining -= root.replies;
  }
  if (remaining > 0) throw new Error(`could not place ${remaining} replies`);
  return roots.sort((a, b) => b.us - a.us);
}

export function generateChannel(random: Random, workspace: Workspace, messages: number): ChannelHistory {
  const { people, bots, peopleZipf } = workspace;
  const members = random.shuffle(people);
  // Half global (some people are busy everywhere), half the channel's own regulars.
  const drawPerson = () => (random.chance(0.5) ? (people[drawZipf(random, peopleZipf)] as string) : (members[drawZipf(random, peopleZipf)] as string));
  const taken = new Set<number>();
  const topLevel: SlackMessageLike[] = [];
  const replies = new Map<string, SlackMessageLike[]>();
  for (const root of drawRoots(random, messages, taken)) {
    const ts = tsOfUs(root.us);
    const roll = random.next();
    let message: SlackMessageLike & Record<string, unknown>;
    if (roll < 0.06) {
      const bot = random.pick(bots);
      const text = `${random.pick(BOT_OPENERS)} ${phrase(random, 6)} ${drawLink(random)}`;
      message = bot.user
        ? { type: 'message', user: bot.user, bot_id: bot.botId, app_id: `A${bot.botId.slice(1)}`, text, ts }
        : { type: 'message', subtype: 'bot_message', bot_id: bot.botId, username: bot.username, text, ts };
    } else if (roll < 0.07) {
      const user = drawPerson();
      message = { type: 'message', subtype: 'channel_join', user, text: `<@${user}> has joined the channel`, ts };
    } else {
      const user = drawPerson();
      const kind = root.replies > 0 ? (random.chance(1 / 3) ? 'question' : 'statement') : random.chance(0.08) ? 'question' : 'statement';
      message = { type: 'message', user, text: personText(random, kind, people), ts, client_msg_id: `${root.us.toString(16)}-bench` };
      if (random.chance(0.04)) message.files = [{ id: `F${root.us % 1e9}`, name: 'screenshot.png', mimetype: 'image/png', size: 48_213 }];
      if (random.chance(0.05)) message.edited = { user, ts: tsOfUs(root.us + 60_000_000) };
    }
    const reactions = reactionsOf(random, message.user as string | undefined, drawPerson);
    if (reactions) message.reactions = reactions;
    topLevel.push(message);
    if (root.replies > 0) replies.set(ts, generateThread(random, message, root, { taken, people, drawPerson }));
  }
  return { topLevel, replies };
}

/** A root's replies, oldest first (their authors partly the root's, partly earlier repliers), and the root's reply fields. */
function generateThread(
  random: Random,
  message: SlackMessageLike & Record<string, unknown>,
  root: Root,
  context: { taken: Set<number>; people: readonly string[]; drawPerson: () => string },
): SlackMessageLike[] {
  const { taken, people, drawPerson } = context;
  const ts = message.ts;
  const thread: SlackMessageLike[] = [];
  const repliers: string[] = [];
  let at = root.us;
  for (let index = 0; index < root.replies; index += 1) {
    at += Math.floor(Math.min(logNormal(random, index === 0 ? 15 : 6, 1.4), 3 * 24 * 60) * 60e6) + 1;
    const rootUser = message.user as string | undefined;
    const user =
      index > 0 && rootUser && random.chance(0.25) ? rootUser : repliers.length > 0 && random.chance(0.35) ? random.pick(repliers) : drawPerson();
    const replyUs = uniqueUs(at, taken);
    const reply: SlackMessageLike & Record<string, unknown> = {
      type: 'message', user, text: personText(random, 'reply', people), ts: tsOfUs(replyUs), thread_ts: ts, parent_user_id: rootUser,
    };
    if (random.chance(0.02)) reply.subtype = 'thread_broadcast';
    const replyReactions = reactionsOf(random, user, drawPerson);
    if (replyReactions) reply.reactions = replyReactions;
    thread.push(reply);
    if (user !== rootUser && !repliers.includes(user)) repliers.push(user);
  }
  thread.sort((a, b) => Number(a.ts) - Number(b.ts));
  Object.assign(message, {
    thread_ts: ts,
    reply_count: thread.length,
    reply_users: repliers.slice(0, 5),
    reply_users_count: repliers.length,
    latest_reply: thread.at(-1)?.ts,
  });
  return thread;
}

/** The whole channel, replies included, newest first in pages of PAGE_SIZE. */
export function toPages(history: ChannelHistory): SlackMessageLike[][] {
  const all = [...history.topLevel, ...[...history.replies.values()].flat()].sort((a, b) => (a.ts < b.ts ? 1 : a.ts > b.ts ? -1 : 0));
  const pages: SlackMessageLike[][] = [];
  for (let start = 0; start < all.length; start += PAGE_SIZE) pages.push(all.slice(start, start + PAGE_SIZE));
  return pages;
}
