/**
 * Analytics storage benchmark: `node --import tsx bench/analytics.ts`.
 * A seeded, made-up workspace (40 channels, 200 people, one year; Zipf-ish
 * activity, 40% replies, a third of thread roots asking questions) as Slack's
 * API returns it, in four phases:
 * - ingest: --messages messages (default 1,000,000) in pages of 200, newest
 *   first, through the production path per page (extractMessageMetadata →
 *   toStoredMessage → writeMessages) into a file database opened with
 *   openDatabase; records/s against the ≥ 50,000 target. Pages are generated
 *   before anything is timed. The ingest stops after --ingest-budget-seconds
 *   of timed work and says so in the table (the run must stay bounded even
 *   when writes slow down as the tables grow); the queries then run over
 *   what was stored, and their rows name that count.
 * - size: file + WAL after a checkpoint, per million messages, per table.
 * - queries: --runs timed runs after --warmup of each question over the
 *   ingested database; median and p99 against the targets, query plans.
 * - sync: a separate, smaller database filled by syncChannel itself (history
 *   pages of top-level messages, then one conversations.replies read per
 *   thread), served from memory, within --sync-budget-seconds: what a first
 *   sync costs, no target.
 * Every 10th page (--profile-every) is written by a store whose statements
 * time themselves, and every 10th rebuild of the derived rows runs through
 * one, so the notes say which statement dominates the ingest and the rebuild.
 * Prints one Markdown table and writes bench-results/analytics.json.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PAGES_PER_REBUILD, syncChannel, type AnalyticsSlackSource, type MessagePage } from '../src/analytics/channel-sync.ts';
import type { LinkKind } from '../src/analytics/classify-link.ts';
import { extractMessageMetadata, type SlackMessageLike } from '../src/analytics/message-metadata.ts';
import { MS_PER_DAY, toStoredMessage } from '../src/analytics/stored-message.ts';
import { createAnalyticsChannelStore } from '../src/db/analytics-channel-store.ts';
import { createAnalyticsQueries } from '../src/db/analytics-queries.ts';
import { createAnalyticsStore, type AnalyticsStore } from '../src/db/analytics-store.ts';
import { openDatabase, type PulseDatabase } from '../src/db/open-database.ts';
import { analyticsFlags } from './bench-flags.ts';
import { describeSource, publishBenchResults } from './publish-results.ts';
import { summarize, type Summary } from './stats.ts';

/** The issue's targets on the project's machine. */
const TARGET_RECORDS_PER_SECOND = 50_000;
const TARGET_TOP_HELPERS_MS = 50;
const TARGET_WEEKLY_MS = 100;
/** What the sync asks conversations.history and conversations.replies for (HISTORY_PAGE_SIZE in src/slack/analytics-slack-source.ts). */
const PAGE_SIZE = 200;
const TEAM_ID = 'T0PULSEBNCH';
const CHANNEL_COUNT = 40;
const PEOPLE_COUNT = 200;
/** 2025-01-01T00:00:00Z: the year the workspace covers. */
const YEAR_START_MS = Date.UTC(2025, 0, 1);
const YEAR_DAYS = 365;
const YEAR_END_MS = YEAR_START_MS + YEAR_DAYS * MS_PER_DAY;
const REPLY_FRACTION = 0.4;
const MEGABYTE = 1024 * 1024;

const verdict = (met: boolean) => (met ? '✅' : '❌');
const formatCount = (count: number) => Math.round(count).toLocaleString('en-US');
const formatMs = (ms: number) => `${ms.toFixed(1)} ms`;
const formatMb = (bytes: number) => `${(bytes / MEGABYTE).toFixed(1)} MB`;

// ---------------------------------------------------------------- the workspace

type Rng = () => number;

/** mulberry32: small, fast, and the same sequence on every machine. */
function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Cumulative Zipf weights 1/k^s, normalised; draw with `drawZipf`. */
function zipfTable(n: number, exponent: number): number[] {
  const weights = Array.from({ length: n }, (_, index) => 1 / (index + 1) ** exponent);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let running = 0;
  return weights.map((weight) => (running += weight / total));
}

function drawZipf(rng: Rng, cumulative: readonly number[]): number {
  const target = rng();
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((cumulative[middle] as number) < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const chance = (rng: Rng, probability: number) => rng() < probability;
const between = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
/** Log-normal with the given median, for waits between messages. */
const logNormal = (rng: Rng, median: number, sigma: number) =>
  median * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng()));

function slackId(rng: Rng, prefix: string, taken: Set<string>): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  for (let attempt = 0; attempt < 100; attempt += 1) {
    let id = `${prefix}0`;
    for (let index = 0; index < 9; index += 1) id += alphabet[Math.floor(rng() * alphabet.length)];
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

interface Workspace {
  people: string[];
  bots: Bot[];
  channels: { id: string; name: string; weight: number }[];
  peopleZipf: number[];
}

const CHANNEL_NAMES = ['engineering', 'customer-support', 'general', 'random', 'incidents', 'deploys', 'product', 'design', 'sales', 'marketing'];

function createWorkspace(rng: Rng): Workspace {
  const taken = new Set<string>();
  const people = Array.from({ length: PEOPLE_COUNT }, () => slackId(rng, 'U', taken));
  const bots: Bot[] = ['deploybot', 'pagerduty', 'github', 'jira', 'standup', 'sentry'].map((username, index) => ({
    botId: slackId(rng, 'B', taken),
    username,
    ...(index % 2 === 0 ? { user: slackId(rng, 'U', taken) } : {}),
  }));
  const channelZipf = zipfTable(CHANNEL_COUNT, 0.8);
  const channels = channelZipf.map((cumulative, index) => ({
    id: slackId(rng, 'C', taken),
    name: `${CHANNEL_NAMES[index % CHANNEL_NAMES.length]}${index < CHANNEL_NAMES.length ? '' : `-${Math.floor(index / CHANNEL_NAMES.length)}`}`,
    weight: cumulative - (channelZipf[index - 1] ?? 0),
  }));
  return { people, bots, channels, peopleZipf: zipfTable(PEOPLE_COUNT, 1) };
}

/** Messages per channel, summing to `total`, busiest channel first. */
function splitByChannel(workspace: Workspace, total: number): number[] {
  const counts = workspace.channels.map((channel) => Math.floor(channel.weight * total));
  counts[0] = (counts[0] as number) + total - counts.reduce((sum, count) => sum + count, 0);
  return counts;
}

const TOPICS = ['deploy', 'staging', 'release', 'build', 'pipeline', 'migration', 'schema', 'dashboard', 'alert', 'latency', 'customer',
  'ticket', 'invoice', 'onboarding', 'roadmap', 'sprint', 'review', 'config', 'feature flag', 'rollout', 'cache', 'queue', 'worker',
  'endpoint', 'token', 'retry', 'timeout', 'incident', 'postmortem', 'metrics', 'API', 'frontend', 'backend', 'iOS app', 'docs', 'spec',
  'pricing page', 'contract', 'renewal', 'demo', 'standup', 'budget', 'interview', 'SSO', 'webhook', 'CSV export', 'search', 'billing'];
const FILLER = ['the', 'a', 'to', 'for', 'on', 'in', 'with', 'and', 'is', 'was', 'we', 'it', 'this', 'that', 'after', 'before', 'now',
  'still', 'again', 'today', 'tomorrow', 'maybe', 'just', 'also', 'our', 'new', 'old', 'broken', 'fixed', 'slow', 'every'];
const QUESTION_OPENERS = ['Does anyone know how to fix', 'How do I update', 'Is there a way to skip', 'Can someone help with', 'Any idea why',
  'What is the best way to test', 'Who owns', 'hey team, has anyone seen', 'Quick question: where do we configure', 'Why does'];
const STATEMENT_OPENERS = ['FYI', 'Heads up:', 'Deployed', 'PSA', 'Shipped', 'Reminder:', 'Notes from', 'Update on', 'Working on', 'Merged'];
const REPLY_TEXTS = ['Thanks!', 'thanks, that worked', '+1', 'Looking into it now', 'same here', 'on it', 'nice :tada:', 'Fixed, thanks'];
const REACTIONS = ['+1', 'eyes', 'white_check_mark', 'tada', 'pray', 'raised_hands', 'joy', 'heart', '100', 'rocket', 'thinking_face', 'fire'];
const EMOJI = [':tada:', ':eyes:', ':sweat_smile:', ':rocket:', '🎉', '👍', '🚀', '🙏'];
const REPOS = ['api', 'web', 'mobile', 'infra', 'pulse', 'billing'];
/** Share of links per kind, roughly what an engineering-heavy workspace posts. */
const LINK_MIX: [LinkKind, number][] = [['github_pr', 0.25], ['github_issue', 0.08], ['gitlab_mr', 0.03], ['jira', 0.15], ['linear', 0.05],
  ['google_docs', 0.12], ['notion', 0.08], ['confluence', 0.05], ['other', 0.19]];

function phrase(rng: Rng, words: number): string {
  return Array.from({ length: words }, () => (chance(rng, 0.35) ? pick(rng, TOPICS) : pick(rng, FILLER))).join(' ');
}

function linkOf(rng: Rng, kind: LinkKind): string {
  const n = between(rng, 100, 9_999);
  const repo = pick(rng, REPOS);
  const url = {
    github_pr: `https://github.com/acme/${repo}/pull/${n}`,
    github_issue: `https://github.com/acme/${repo}/issues/${n}`,
    gitlab_mr: `https://gitlab.com/acme/${repo}/-/merge_requests/${n}`,
    jira: `https://acme.atlassian.net/browse/ENG-${n}`,
    linear: `https://linear.app/acme/issue/ENG-${n}/fix-${repo}-timeout`,
    google_docs: `https://docs.google.com/document/d/1${n}xYzAbCdEf${n}/edit?usp=sharing`,
    notion: `https://www.notion.so/acme/Runbook-${repo}-${n.toString(16)}a1b2c3d4e5f6`,
    confluence: `https://acme.atlassian.net/wiki/spaces/ENG/pages/${n}/Runbook`,
    other: `https://status.example.com/incidents/${n}?utm_source=slack&amp;ref=${repo}`,
  }[kind];
  return chance(rng, 0.4) ? `<${url}|${kind === 'github_pr' ? `${repo}#${n}` : 'link'}>` : `<${url}>`;
}

function drawLinkKind(rng: Rng): LinkKind {
  let target = rng();
  for (const [kind, share] of LINK_MIX) if ((target -= share) <= 0) return kind;
  return 'other';
}

/** Mentions, links, emoji and the odd code span around a person's sentence. */
function decorate(rng: Rng, text: string, people: readonly string[], linkChance: number): string {
  const parts = [text];
  if (chance(rng, 0.15)) {
    const mentions = Array.from({ length: chance(rng, 0.8) ? 1 : between(rng, 2, 3) }, () => `<@${pick(rng, people)}>`);
    if (chance(rng, 0.5)) parts.unshift(mentions.join(' ')); else parts.push(mentions.join(' '));
  }
  if (chance(rng, linkChance)) for (let index = chance(rng, 0.85) ? 1 : between(rng, 2, 3); index > 0; index -= 1) parts.push(linkOf(rng, drawLinkKind(rng)));
  if (chance(rng, 0.12)) parts.push(pick(rng, EMOJI));
  if (chance(rng, 0.03)) parts.push('`npm run build`');
  if (chance(rng, 0.02)) parts.push('see <#C0GENERAL1|general>');
  if (chance(rng, 0.05)) parts.push(`\n${phrase(rng, between(rng, 30, 90))}.`);
  return parts.join(' ');
}

function personText(rng: Rng, kind: 'question' | 'statement' | 'reply', people: readonly string[]): string {
  const body = phrase(rng, between(rng, 3, 18));
  switch (kind) {
    case 'question': {
      // The heuristic also catches help phrases without a question mark; a third of askers leave it out.
      return decorate(rng, `${pick(rng, QUESTION_OPENERS)} ${body}${chance(rng, 0.7) ? '?' : ''}`, people, 0.15);
    }
    case 'statement':
      return decorate(rng, `${pick(rng, STATEMENT_OPENERS)} ${body}.`, people, 0.12);
    case 'reply':
      if (chance(rng, 0.3)) return pick(rng, REPLY_TEXTS);
      return decorate(rng, chance(rng, 0.08) ? `did you try restarting the ${pick(rng, TOPICS)}?` : `I think ${body}.`, people, 0.1);
  }
}

function reactionsOf(rng: Rng, author: string | undefined, drawPerson: () => string): SlackMessageLike['reactions'] {
  if (!chance(rng, 0.25)) return undefined;
  return Array.from({ length: chance(rng, 0.7) ? 1 : between(rng, 2, 3) }, (_, index) => {
    const users = new Set<string>();
    for (let draw = chance(rng, 0.6) ? 1 : between(rng, 2, 8); draw > 0; draw -= 1) users.add(drawPerson());
    if (author && chance(rng, 0.05)) users.add(author);
    return { name: REACTIONS[(between(rng, 0, REACTIONS.length - 1) + index) % REACTIONS.length] as string, users: [...users], count: users.size };
  });
}

/** A working-hours instant of the year, in microseconds, weekends quieter. */
function drawInstantUs(rng: Rng): number {
  let day = 0;
  for (let attempt = 0; attempt < 8; attempt += 1) {
    day = Math.floor(rng() * YEAR_DAYS);
    const weekday = (Math.floor(YEAR_START_MS / MS_PER_DAY) + day + 3) % 7; // 0 = Monday
    if (weekday < 5 || chance(rng, 0.1)) break;
  }
  const hour = 6 + (rng() + rng() + rng()) * 4.3; // peaks early afternoon UTC
  return Math.floor((YEAR_START_MS + day * MS_PER_DAY + hour * 3_600_000) * 1000 + rng() * 3_600_000_000);
}

const tsOfUs = (us: number) => `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;

function uniqueUs(us: number, taken: Set<number>): number {
  let value = Math.min(us, YEAR_END_MS * 1000 - 1);
  while (taken.has(value)) value -= 1;
  taken.add(value);
  return value;
}

interface ChannelHistory {
  /** Top-level messages, newest first, as conversations.history returns them. */
  topLevel: SlackMessageLike[];
  /** Each thread's replies, oldest first, by root ts. */
  replies: Map<string, SlackMessageLike[]>;
}

/** Replies per thread: mostly a few, sometimes a long discussion. */
function drawReplyCount(rng: Rng): number {
  return chance(rng, 0.93) ? 1 + Math.floor(-Math.log(1 - rng()) * 1.6) : 6 + Math.floor(rng() ** 3 * 120);
}

function generateChannel(rng: Rng, workspace: Workspace, messages: number): ChannelHistory {
  const { people, bots, peopleZipf } = workspace;
  const members = [...people];
  for (let index = members.length - 1; index > 0; index -= 1) {
    const other = Math.floor(rng() * (index + 1));
    [members[index], members[other]] = [members[other] as string, members[index] as string];
  }
  // Half global (some people are busy everywhere), half the channel's own regulars.
  const drawPerson = () => (chance(rng, 0.5) ? (people[drawZipf(rng, peopleZipf)] as string) : (members[drawZipf(rng, peopleZipf)] as string));
  const replyBudget = Math.round(messages * REPLY_FRACTION);
  const taken = new Set<number>();
  const roots = Array.from({ length: messages - replyBudget }, () => ({ us: uniqueUs(drawInstantUs(rng), taken), replies: 0 }));

  let remaining = replyBudget;
  for (let attempt = 0; remaining > 0 && attempt < roots.length * 20; attempt += 1) {
    const root = roots[Math.floor(rng() * roots.length)] as (typeof roots)[number];
    if (root.replies > 0) continue;
    root.replies = Math.min(remaining, drawReplyCount(rng));
    remaining -= root.replies;
  }
  if (remaining > 0) throw new Error(`could not place ${remaining} replies`);

  const topLevel: SlackMessageLike[] = [];
  const replies = new Map<string, SlackMessageLike[]>();
  for (const root of roots.sort((a, b) => b.us - a.us)) {
    const ts = tsOfUs(root.us);
    const roll = rng();
    let message: SlackMessageLike & Record<string, unknown>;
    if (roll < 0.06) {
      const bot = pick(rng, bots);
      const text = `${pick(rng, ['Deploy finished:', 'Alert firing:', 'New issue:', 'Standup reminder'])} ${phrase(rng, 6)} ${linkOf(rng, drawLinkKind(rng))}`;
      message = bot.user
        ? { type: 'message', user: bot.user, bot_id: bot.botId, app_id: `A${bot.botId.slice(1)}`, text, ts }
        : { type: 'message', subtype: 'bot_message', bot_id: bot.botId, username: bot.username, text, ts };
    } else if (roll < 0.07) {
      const user = drawPerson();
      message = { type: 'message', subtype: 'channel_join', user, text: `<@${user}> has joined the channel`, ts };
    } else {
      const user = drawPerson();
      const kind = root.replies > 0 ? (chance(rng, 1 / 3) ? 'question' : 'statement') : chance(rng, 0.08) ? 'question' : 'statement';
      message = { type: 'message', user, text: personText(rng, kind, people), ts, client_msg_id: `${root.us.toString(16)}-bench` };
      if (chance(rng, 0.04)) message.files = [{ id: `F${root.us % 1e9}`, name: 'screenshot.png', mimetype: 'image/png', size: 48_213 }];
      if (chance(rng, 0.05)) message.edited = { user, ts: tsOfUs(root.us + 60_000_000) };
    }
    const reactions = reactionsOf(rng, message.user as string | undefined, drawPerson);
    if (reactions) message.reactions = reactions;
    topLevel.push(message);
    if (root.replies === 0) continue;

    const thread: SlackMessageLike[] = [];
    const repliers: string[] = [];
    let at = root.us;
    for (let index = 0; index < root.replies; index += 1) {
      at += Math.floor(Math.min(logNormal(rng, index === 0 ? 15 : 6, 1.4), 3 * 24 * 60) * 60e6) + 1;
      const rootUser = message.user as string | undefined;
      const user =
        index > 0 && rootUser && chance(rng, 0.25) ? rootUser : repliers.length > 0 && chance(rng, 0.35) ? pick(rng, repliers) : drawPerson();
      const replyUs = uniqueUs(at, taken);
      const reply: SlackMessageLike & Record<string, unknown> = {
        type: 'message', user, text: personText(rng, 'reply', people), ts: tsOfUs(replyUs), thread_ts: ts, parent_user_id: rootUser,
      };
      if (chance(rng, 0.02)) reply.subtype = 'thread_broadcast';
      const replyReactions = reactionsOf(rng, user, drawPerson);
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
    replies.set(ts, thread);
  }
  return { topLevel, replies };
}

/** The whole channel, replies included, newest first in pages of PAGE_SIZE. */
function toPages(history: ChannelHistory): SlackMessageLike[][] {
  const all = [...history.topLevel, ...[...history.replies.values()].flat()].sort((a, b) => (a.ts < b.ts ? 1 : a.ts > b.ts ? -1 : 0));
  const pages: SlackMessageLike[][] = [];
  for (let start = 0; start < all.length; start += PAGE_SIZE) pages.push(all.slice(start, start + PAGE_SIZE));
  return pages;
}

// ---------------------------------------------------------------- measuring

type Client = PulseDatabase['$client'];

interface StatementTiming {
  sql: string;
  calls: number;
  ms: number;
  lastArgs: unknown[];
}

/** A store whose statements time themselves (bench-only: the store prepares them all up front). */
function createProfiledStore(db: PulseDatabase, timings: StatementTiming[]): AnalyticsStore {
  const client = db.$client;
  const prepare = client.prepare.bind(client);
  client.prepare = ((sql: string) => {
    const statement = prepare(sql);
    const timing: StatementTiming = { sql: sql.replace(/\s+/g, ' ').trim(), calls: 0, ms: 0, lastArgs: [] };
    timings.push(timing);
    for (const method of ['run', 'get', 'all'] as const) {
      const original = (statement[method] as (...args: unknown[]) => unknown).bind(statement);
      Object.defineProperty(statement, method, {
        value: (...args: unknown[]) => {
          const startedAt = performance.now();
          try {
            return original(...args);
          } finally {
            timing.ms += performance.now() - startedAt;
            timing.calls += 1;
            timing.lastArgs = args;
          }
        },
      });
    }
    return statement;
  }) as Client['prepare'];
  try {
    return createAnalyticsStore(db);
  } finally {
    Reflect.deleteProperty(client, 'prepare');
  }
}

function explain(client: Client, sql: string, args: unknown[]): string[] {
  const rows = client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { id: number; parent: number; detail: string }[];
  const depth = new Map<number, number>([[0, 0]]);
  return rows.map((row) => {
    const level = (depth.get(row.parent) ?? 0) + 1;
    depth.set(row.id, level);
    return `${'  '.repeat(level - 1)}${row.detail}`;
  });
}

export interface IngestResult {
  /** Messages written (the timed production path); fewer than asked when the budget ran out. */
  messages: number;
  pages: number;
  seconds: number;
  recordsPerSecond: number;
  pageMs: Summary;
  /** True when the time budget stopped the paged ingest before all messages. */
  stoppedByBudget: boolean;
  /** Records/s per tenth of the paged ingest, with the messages stored when that tenth began: the slope shows per-page cost growing with the table. */
  curve: { storedBefore: number; recordsPerSecond: number }[];
  /** Time in extract → toStoredMessage vs writeMessages, summed over the paged ingest. */
  convertSeconds: number;
  writeSeconds: number;
  generateSeconds: number;
  profiledPages: number;
  statements: { sql: string; calls: number; ms: number; share: number; plan: string[] }[];
  /** Time in the rebuilds of derived rows (every PAGES_PER_REBUILD pages and once at the end), included in writeSeconds. */
  rebuildSeconds: number;
  /** Every --profile-every'th rebuild timed per statement: which derived rows cost the most. */
  rebuildStatements: { sql: string; calls: number; ms: number; share: number; plan: string[] }[];
}

type ConvertOptions = Parameters<typeof extractMessageMetadata>[1];

/** What the sync's toStored does: metadata, then the stored rows with the root's latest_reply. */
const toStored = (page: readonly SlackMessageLike[], options: ConvertOptions) =>
  page.map((message) => toStoredMessage(extractMessageMetadata(message, options), message.latest_reply ?? null));

/**
 * Every channel's pages as JSON bodies, read back in step (page 1 of each channel, then page 2…), so a run the budget stops
 * still covers every channel — the newest weeks of the workspace. Bodies are parsed just before their page is timed: holding
 * a million parsed messages would make every garbage collection during the timed work walk them.
 */
function ingest(db: PulseDatabase, workspace: Workspace, rng: Rng, options: BenchOptions): IngestResult {
  const generatedAt = performance.now();
  const counts = splitByChannel(workspace, options.messages);
  const bodies = workspace.channels.map((_, index) =>
    toPages(generateChannel(rng, workspace, counts[index] as number)).map((page) => JSON.stringify(page)),
  );
  const generateSeconds = (performance.now() - generatedAt) / 1000;
  const store = createAnalyticsStore(db);
  const timings: StatementTiming[] = [];
  const profiled = createProfiledStore(db, timings);
  const rebuildTimings: StatementTiming[] = [];
  const profiledRebuilds = createProfiledStore(db, rebuildTimings);
  let rebuildMs = 0;
  let profiledRebuildMs = 0;
  let insideRebuildMs = 0;
  let rebuilds = 0;
  /** Rebuilds the derived rows, every profileEvery'th time through the store whose statements time themselves. */
  const rebuild = () => {
    const profileRebuild = options.profileEvery > 0 && rebuilds % options.profileEvery === 0;
    const startedAt = performance.now();
    if (profileRebuild) insideRebuildMs += timeInsideTransactions(db, () => profiledRebuilds.rebuildPending(TEAM_ID));
    else store.rebuildPending(TEAM_ID);
    const ms = performance.now() - startedAt;
    rebuildMs += ms;
    if (profileRebuild) profiledRebuildMs += ms;
    rebuilds += 1;
  };
  const pages: { storedBefore: number; ms: number; messages: number }[] = [];
  let convertMs = 0;
  let writeMs = 0;
  let profiledWriteMs = 0;
  let insideTransactionMs = 0;
  let messages = 0;
  let stoppedByBudget = false;
  const rounds = Math.max(...bodies.map((channelBodies) => channelBodies.length));
  for (let round = 0; round < rounds && !stoppedByBudget; round += 1) {
    for (const [index, channel] of workspace.channels.entries()) {
      const body = bodies[index]?.[round];
      if (body === undefined) continue;
      const page = JSON.parse(body) as SlackMessageLike[];
      const profile = options.profileEvery > 0 && pages.length % options.profileEvery === 0;
      const startedAt = performance.now();
      const stored = toStored(page, { teamId: TEAM_ID, channelId: channel.id, storeText: false });
      const convertedAt = performance.now();
      // As the sync does: derived rows rebuilt every PAGES_PER_REBUILD pages, not per page (the rebuild time counts).
      if (profile) insideTransactionMs += timeInsideTransactions(db, () => profiled.writeMessages(TEAM_ID, stored, { deferRebuild: true }));
      else store.writeMessages(TEAM_ID, stored, { deferRebuild: true });
      if ((pages.length + 1) % PAGES_PER_REBUILD === 0) rebuild();
      const writtenAt = performance.now();
      convertMs += convertedAt - startedAt;
      writeMs += writtenAt - convertedAt;
      if (profile) profiledWriteMs += writtenAt - convertedAt;
      pages.push({ storedBefore: messages, ms: writtenAt - startedAt, messages: page.length });
      messages += page.length;
      if ((convertMs + writeMs) / 1000 > options.ingestBudgetSeconds) {
        stoppedByBudget = messages < options.messages;
        break;
      }
    }
    // A progress line rewritten in place: only on a terminal, where \r returns to the line's start (a log would keep every one).
    if (process.stderr.isTTY) process.stderr.write(`  ${formatCount(messages)} messages in ${((convertMs + writeMs) / 1000).toFixed(1)} s\r`);
  }
  const finalRebuildAt = performance.now();
  rebuild();
  writeMs += performance.now() - finalRebuildAt;
  if (process.stderr.isTTY) process.stderr.write('\n');
  const seconds = (convertMs + writeMs) / 1000;
  return {
    messages,
    pages: pages.length,
    seconds,
    recordsPerSecond: messages / seconds,
    pageMs: summarize(pages.map((page) => page.ms)),
    stoppedByBudget,
    curve: tenths(pages),
    convertSeconds: convertMs / 1000,
    writeSeconds: writeMs / 1000,
    generateSeconds,
    profiledPages: options.profileEvery > 0 ? Math.ceil(pages.length / options.profileEvery) : 0,
    statements: rankStatements(db, timings, profiledWriteMs, insideTransactionMs),
    rebuildSeconds: rebuildMs / 1000,
    rebuildStatements: rankStatements(db, rebuildTimings.filter((timing) => timing.calls > 0), profiledRebuildMs, insideRebuildMs),
  };
}

/** Runs `work` and returns the time spent inside the transactions it opens: the rest of its time is BEGIN and COMMIT. */
function timeInsideTransactions(db: PulseDatabase, work: () => void): number {
  const client = db.$client;
  const transaction = client.transaction.bind(client);
  let insideMs = 0;
  client.transaction = ((fn: (...args: unknown[]) => unknown) =>
    transaction((...args: unknown[]) => {
      const startedAt = performance.now();
      try {
        return fn(...args);
      } finally {
        insideMs += performance.now() - startedAt;
      }
    })) as Client['transaction'];
  try {
    work();
  } finally {
    Reflect.deleteProperty(client, 'transaction');
  }
  return insideMs;
}

function tenths(pages: readonly { storedBefore: number; ms: number; messages: number }[]): IngestResult['curve'] {
  const size = Math.max(1, Math.ceil(pages.length / 10));
  const curve: IngestResult['curve'] = [];
  for (let start = 0; start < pages.length; start += size) {
    const slice = pages.slice(start, start + size);
    const ms = slice.reduce((sum, page) => sum + page.ms, 0);
    curve.push({ storedBefore: slice[0]?.storedBefore ?? 0, recordsPerSecond: (slice.reduce((sum, page) => sum + page.messages, 0) / ms) * 1000 });
  }
  return curve;
}

/** Statements by time spent, BEGIN/COMMIT and the JS around the statements as lines of their own, plans for the costliest. */
function rankStatements(db: PulseDatabase, timings: readonly StatementTiming[], writeMs: number, insideMs: number): IngestResult['statements'] {
  const statementMs = timings.reduce((sum, timing) => sum + timing.ms, 0);
  const commit = { sql: '(BEGIN + COMMIT, with any WAL auto-checkpoint)', calls: 0, ms: writeMs - insideMs, lastArgs: [] };
  const glue = { sql: '(JS between statements: row objects, transaction wrapper)', calls: 0, ms: insideMs - statementMs, lastArgs: [] };
  return [...timings, commit, glue]
    .sort((a, b) => b.ms - a.ms)
    .map((timing, rank) => ({
      sql: timing.sql,
      calls: timing.calls,
      ms: timing.ms,
      share: timing.ms / writeMs,
      plan: rank < 8 && timing.calls > 0 ? explain(db.$client, timing.sql, timing.lastArgs) : [],
    }));
}

export interface SyncResult {
  /** Messages in the channels the sync was given, and how many it stored before finishing or running out of budget. */
  asked: number;
  stored: number;
  /** Messages written, roots counted again each time their thread is read. */
  records: number;
  threadsRead: number;
  seconds: number;
  messagesPerSecond: number;
  stoppedByBudget: boolean;
}

/** Slack's pages for one channel, from memory: history newest first, then each thread with its root. */
function createMemorySource(history: ChannelHistory, beforeCall: (threadRead: boolean) => void): AnalyticsSlackSource {
  const roots = new Map(history.topLevel.map((message) => [message.ts, message]));
  const page = (messages: SlackMessageLike[], cursor: string | undefined): MessagePage => {
    const start = Number(cursor ?? 0) * PAGE_SIZE;
    const next = start + PAGE_SIZE < messages.length ? String(Number(cursor ?? 0) + 1) : undefined;
    return { messages: messages.slice(start, start + PAGE_SIZE), nextCursor: next };
  };
  return {
    listChannels: async () => [],
    joinChannel: async () => undefined,
    history: async (_channelId, range) => (beforeCall(false), page(history.topLevel, range.cursor)),
    replies: async (_channelId, threadTs, cursor) => {
      beforeCall(cursor === undefined);
      const root = roots.get(threadTs);
      return page([...(root ? [root] : []), ...(history.replies.get(threadTs) ?? [])], cursor);
    },
  };
}

async function measureSync(directory: string, workspace: Workspace, rng: Rng, options: BenchOptions): Promise<SyncResult> {
  const { db, close } = openDatabase(join(directory, 'sync.db'));
  try {
    const store = createAnalyticsStore(db);
    const channels = createAnalyticsChannelStore(db);
    const budget = new AbortController();
    let seconds = 0;
    let records = 0;
    let threadsRead = 0;
    const counts = splitByChannel(workspace, options.syncMessages);
    for (const [index, channel] of workspace.channels.entries()) {
      if (budget.signal.aborted) break;
      const history = generateChannel(rng, workspace, counts[index] as number);
      let startedAt = performance.now();
      // Checked before each Slack call: syncChannel stops at its next abort check, as it would on shutdown.
      const source = createMemorySource(history, (threadRead) => {
        if (threadRead) threadsRead += 1;
        if (seconds + (performance.now() - startedAt) / 1000 > options.syncBudgetSeconds) budget.abort();
      });
      channels.saveSeen(TEAM_ID, { channelId: channel.id, name: channel.name, isPrivate: false, isArchived: false, isMember: true });
      const row = channels.get(TEAM_ID, channel.id);
      if (!row) throw new Error('channel row missing');
      let written = 0;
      startedAt = performance.now();
      try {
        await syncChannel(
          { slack: source, store, channels },
          {
            teamId: TEAM_ID, channel: row, storeText: false, pseudonymize: undefined, lookbackStartMs: YEAR_START_MS, nowMs: YEAR_END_MS,
            signal: budget.signal, onProgress: (messages) => (written = messages),
          },
        );
      } catch (error) {
        if (!budget.signal.aborted) throw error;
      }
      seconds += (performance.now() - startedAt) / 1000;
      records += written;
    }
    const stored = (db.$client.prepare('SELECT COUNT(*) AS n FROM analytics_messages').get() as { n: number }).n;
    return {
      asked: options.syncMessages, stored, records, threadsRead, seconds, messagesPerSecond: stored / seconds, stoppedByBudget: budget.signal.aborted,
    };
  } finally {
    close();
  }
}

export interface SizeResult {
  fileBytes: number;
  walBytes: number;
  /** Pages on the freelist (rows deleted and rebuilt leave them), counted in fileBytes. */
  freeBytes: number;
  bytesPerMillion: number;
  tables: { name: string; bytes: number }[];
  rows: Record<string, number>;
}

function measureSize(db: PulseDatabase, path: string, messages: number): SizeResult {
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  const fileBytes = statSync(path).size;
  let walBytes = 0;
  try {
    walBytes = statSync(`${path}-wal`).size;
  } catch {
    walBytes = 0;
  }
  const tables = (db.$client.prepare('SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as {
    name: string;
    bytes: number;
  }[]).filter((table) => table.name.startsWith('analytics') || table.name.startsWith('sqlite_autoindex_analytics'));
  const pragma = (name: string) => Number(db.$client.pragma(name, { simple: true }));
  return {
    fileBytes,
    walBytes,
    freeBytes: pragma('freelist_count') * pragma('page_size'),
    bytesPerMillion: ((fileBytes + walBytes) / messages) * 1_000_000,
    tables,
    rows: createAnalyticsStore(db).rowCounts(TEAM_ID),
  };
}

export interface QueryResult {
  name: string;
  targetMs?: number;
  summary: Summary;
  rows: number;
  sample: unknown;
  plans: string[][];
}

function measureQueries(db: PulseDatabase, channelIds: string[], runs: number, warmup: number): QueryResult[] {
  const scope = {
    teamId: TEAM_ID,
    channelIds,
    fromDay: Math.floor(YEAR_START_MS / MS_PER_DAY),
    toDay: Math.floor(YEAR_END_MS / MS_PER_DAY),
  };
  const questions: { name: string; targetMs?: number; ask: (queries: ReturnType<typeof createAnalyticsQueries>) => unknown[] }[] = [
    {
      name: 'top-10 people by help replies over the year',
      targetMs: TARGET_TOP_HELPERS_MS,
      ask: (queries) =>
        queries.metric({ ...scope, metric: 'help_replies', groupBy: ['person'] }).sort((a, b) => b.value - a.value).slice(0, 10),
    },
    {
      name: 'weekly messages per channel over the year',
      targetMs: TARGET_WEEKLY_MS,
      ask: (queries) => queries.metric({ ...scope, metric: 'messages', groupBy: ['channel', 'week'] }),
    },
    { name: 'messages per person per month', ask: (queries) => queries.metric({ ...scope, metric: 'messages', groupBy: ['person', 'month'] }) },
    {
      name: 'median minutes to first reply per channel',
      ask: (queries) => queries.metric({ ...scope, metric: 'median_minutes_to_first_reply', groupBy: ['channel'] }),
    },
    {
      name: 'deepest 10 threads with github_pr links',
      ask: (queries) => queries.threads({ ...scope, linkKinds: ['github_pr'], order: 'replies', limit: 10 }),
    },
  ];
  const queries = createAnalyticsQueries(db);
  return questions.map((question) => {
    for (let index = 0; index < warmup; index += 1) question.ask(queries);
    const samples: number[] = [];
    let answer: unknown[] = [];
    for (let index = 0; index < runs; index += 1) {
      const startedAt = performance.now();
      answer = question.ask(queries);
      samples.push(performance.now() - startedAt);
    }
    return {
      name: question.name,
      ...(question.targetMs === undefined ? {} : { targetMs: question.targetMs }),
      summary: summarize(samples),
      rows: answer.length,
      sample: answer.slice(0, 3),
      plans: planQuestion(db, () => question.ask(createAnalyticsQueries(db))),
    };
  });
}

/** The plans of the SQL one call runs, read by recording what it prepares (queries prepare lazily). */
function planQuestion(db: PulseDatabase, ask: () => unknown): string[][] {
  const client = db.$client;
  const prepare = client.prepare.bind(client);
  const seen: { sql: string; args: unknown[] }[] = [];
  client.prepare = ((sql: string) => {
    const statement = prepare(sql);
    const all = statement.all.bind(statement) as (...args: unknown[]) => unknown[];
    Object.defineProperty(statement, 'all', { value: (...args: unknown[]) => (seen.push({ sql, args }), all(...args)) });
    return statement;
  }) as Client['prepare'];
  try {
    ask();
  } finally {
    Reflect.deleteProperty(client, 'prepare');
  }
  return seen.map(({ sql, args }) => explain(client, sql, args));
}

// ---------------------------------------------------------------- reporting

export interface BenchOptions {
  messages: number;
  /** The ingest stops after this much timed work (then the queries run over what it stored). */
  ingestBudgetSeconds: number;
  syncMessages: number;
  syncBudgetSeconds: number;
  runs: number;
  warmup: number;
  seed: number;
  profileEvery: number;
  keepDb: boolean;
}

export interface BenchResult {
  options: BenchOptions;
  ingest: IngestResult;
  sync?: SyncResult;
  size: SizeResult;
  queries: QueryResult[];
  shape: Record<string, number>;
  loadBefore: number;
  wallSeconds: number;
  databasePath?: string;
}

export function renderAnalyticsBenchTable(result: BenchResult): string {
  const { ingest: ingested, sync, size, shape } = result;
  const stored = shape.messages ?? 0;
  const stopped = ingested.stoppedByBudget
    ? ` — stopped by the ${result.options.ingestBudgetSeconds} s budget at ${formatCount(ingested.messages)} of ${formatCount(result.options.messages)}`
    : '';
  const rows = [
    ['metric', 'median', 'p99', 'target'],
    ['---', '---:', '---:', '---'],
    [
      `ingest, records/s over ${formatCount(ingested.messages)} messages (extract → toStoredMessage → writeMessages, pages of ${PAGE_SIZE}${stopped})`,
      `${formatCount(ingested.recordsPerSecond)}/s`,
      '—',
      `≥ ${formatCount(TARGET_RECORDS_PER_SECOND)}/s ${verdict(ingested.recordsPerSecond >= TARGET_RECORDS_PER_SECOND && !ingested.stoppedByBudget)}`,
    ],
    [`  ↳ per page of ${PAGE_SIZE}`, formatMs(ingested.pageMs.median), formatMs(ingested.pageMs.p99), '—'],
    ...(ingested.curve.length > 1
      ? [[
          `  ↳ records/s in the first vs last tenth of the pages (${formatCount(ingested.curve.at(-1)?.storedBefore ?? 0)} stored before the last)`,
          `${formatCount(ingested.curve[0]?.recordsPerSecond ?? 0)}/s → ${formatCount(ingested.curve.at(-1)?.recordsPerSecond ?? 0)}/s`,
          '—',
          '—',
        ]]
      : []),
    ...(sync
      ? [[
          `first sync through syncChannel (history pages, then conversations.replies per thread), messages stored/s` +
            (sync.stoppedByBudget ? ` — stopped by the ${result.options.syncBudgetSeconds} s budget at ${formatCount(sync.stored)} of ${formatCount(sync.asked)}` : ` over ${formatCount(sync.stored)}`),
          `${formatCount(sync.messagesPerSecond)}/s`,
          '—',
          '—',
        ]]
      : []),
    ...result.queries.map((query) => [
      `${query.name} (${formatCount(stored)} messages)`,
      formatMs(query.summary.median),
      formatMs(query.summary.p99),
      query.targetMs === undefined ? '—' : `≤ ${query.targetMs} ms median ${verdict(query.summary.median <= query.targetMs)}`,
    ]),
    ['database size per 1,000,000 messages (file + WAL after checkpoint)', formatMb(size.bytesPerMillion), '—', '—'],
  ];
  return rows.map((row) => `| ${row.join(' | ')} |`).join('\n');
}

export function describeAnalyticsBench(result: BenchResult): string[] {
  const { ingest: ingested, sync, size, shape, options } = result;
  const percent = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)}%`;
  const ranked = (statements: IngestResult['statements'], count: number, width: number) => {
    const profiledMs = statements.reduce((sum, statement) => sum + statement.ms, 0);
    return statements
      .slice(0, count)
      .map((statement) => `${percent(statement.ms, profiledMs)} ${statement.sql.slice(0, width)}…`)
      .join('; ');
  };
  const costliest = ingested.statements[0];
  return [
    `Data (seed ${options.seed}): ${formatCount(shape.messages ?? 0)} messages in ${CHANNEL_COUNT} channels by ${PEOPLE_COUNT} people over ${YEAR_DAYS} days; ` +
      `${percent(shape.replies ?? 0, shape.messages ?? 1)} replies, ${formatCount(shape.threads ?? 0)} person threads ` +
      `(${percent(shape.questionThreads ?? 0, shape.threads ?? 1)} ask a question), ${formatCount(shape.helpReplies ?? 0)} help replies, ` +
      `${percent(shape.botMessages ?? 0, shape.messages ?? 1)} bot messages; busiest person wrote ${formatCount(shape.topPersonMessages ?? 0)}, ` +
      `median person ${formatCount(shape.medianPersonMessages ?? 0)}. Pages hold every message of a channel, replies included, newest first; channels are read in step, a page of each in turn.`,
    `Rows: ${Object.entries(size.rows).map(([table, count]) => `${table.replace('analytics_', '')} ${formatCount(count)}`).join(', ')}.`,
    `Ingest: ${formatCount(ingested.pages)} pages in ${ingested.seconds.toFixed(1)} s — extract → toStoredMessage ${ingested.convertSeconds.toFixed(1)} s, ` +
      `writeMessages ${ingested.writeSeconds.toFixed(1)} s (page generation, untimed: ${ingested.generateSeconds.toFixed(1)} s). Records/s by tenth ` +
      `(messages stored before it): ${ingested.curve.map((point) => `${formatCount(point.recordsPerSecond)} (${formatCount(point.storedBefore)})`).join(', ')}.`,
    `Inside writeMessages (every ${options.profileEvery}th page timed per statement, ${ingested.profiledPages} pages, included in the ingest figure): ${ranked(ingested.statements, 6, 60)}`,
    `Rebuilds of derived rows: ${ingested.rebuildSeconds.toFixed(1)} s of writeMessages; every ${options.profileEvery}th timed per statement: ` +
      `${ranked(ingested.rebuildStatements, 8, 90)}`,
    ...(costliest && costliest.plan.length > 0 ? [`Plan of the costliest: ${costliest.plan.map((line) => line.trim()).join(' / ')}`] : []),
    ...(sync
      ? [`First sync: ${formatCount(sync.stored)} messages stored, ${formatCount(sync.threadsRead)} threads read with their root, ` +
          `${formatCount(sync.records)} records written in ${sync.seconds.toFixed(1)} s (${formatCount(sync.records / sync.seconds)} records/s).`]
      : []),
    `Size: ${formatMb(size.fileBytes)} file + ${formatMb(size.walBytes)} WAL for ${formatCount(shape.messages ?? 0)} messages, ` +
      `${formatMb(size.freeBytes)} of it free pages; ${size.tables.slice(0, 8).map((table) => `${table.name} ${formatMb(table.bytes)}`).join(', ')}.`,
    ...result.queries.map((query) => `${query.name}: ${query.rows} rows, range ${formatMs(query.summary.min)}–${formatMs(query.summary.max)}; ` +
      `plan: ${query.plans.map((plan) => plan.map((line) => line.trim()).join(' / ')).join(' || ')}`),
    `${options.runs} timed runs of each query after ${options.warmup} warm-ups; file database in the OS temp dir, opened with openDatabase (WAL, synchronous=NORMAL). ` +
      `Whole bench ${result.wallSeconds.toFixed(0)} s; 1-minute load average at start ${result.loadBefore.toFixed(2)} on ${cpus().length} CPUs (other work inflates the times).`,
  ];
}

function dataShape(db: PulseDatabase): Record<string, number> {
  const one = (sql: string) => (db.$client.prepare(sql).get(TEAM_ID) as { n: number }).n;
  const perPerson = (db.$client
    .prepare("SELECT SUM(messages) AS n FROM analytics_daily WHERE team_id = ? AND person_id <> '' GROUP BY person_id ORDER BY n DESC")
    .all(TEAM_ID) as { n: number }[]).map((row) => row.n);
  return {
    messages: one('SELECT COUNT(*) AS n FROM analytics_messages WHERE team_id = ?'),
    replies: one('SELECT COUNT(*) AS n FROM analytics_messages WHERE team_id = ? AND is_reply'),
    botMessages: one('SELECT COUNT(*) AS n FROM analytics_messages WHERE team_id = ? AND is_bot'),
    threads: one('SELECT COUNT(*) AS n FROM analytics_threads WHERE team_id = ?'),
    questionThreads: one('SELECT COUNT(*) AS n FROM analytics_threads WHERE team_id = ? AND root_is_question'),
    helpReplies: one('SELECT COUNT(*) AS n FROM analytics_messages WHERE team_id = ? AND is_help_reply'),
    topPersonMessages: perPerson[0] ?? 0,
    medianPersonMessages: perPerson[Math.floor(perPerson.length / 2)] ?? 0,
  };
}

export async function measureAnalytics(options: BenchOptions, directory: string): Promise<BenchResult> {
  const loadBefore = loadavg()[0] ?? Number.NaN;
  const startedAt = performance.now();
  const path = join(directory, 'analytics.db');
  const { db, close } = openDatabase(path);
  try {
    const workspace = createWorkspace(createRng(options.seed));
    process.stderr.write(`bench:analytics: ingesting ${formatCount(options.messages)} messages…\n`);
    const ingested = ingest(db, workspace, createRng(options.seed + 1), options);
    const shape = dataShape(db);
    const size = measureSize(db, path, shape.messages ?? 0);
    process.stderr.write(`bench:analytics: ${options.runs + options.warmup} runs of each query…\n`);
    const queries = measureQueries(db, workspace.channels.map((channel) => channel.id), options.runs, options.warmup);
    let sync: SyncResult | undefined;
    if (options.syncMessages > 0) {
      process.stderr.write(`bench:analytics: first sync of ${formatCount(options.syncMessages)} messages through syncChannel…\n`);
      sync = await measureSync(directory, workspace, createRng(options.seed + 2), options);
    }
    const wallSeconds = (performance.now() - startedAt) / 1000;
    return {
      options, ingest: ingested, ...(sync ? { sync } : {}), size, queries, shape, loadBefore, wallSeconds, ...(options.keepDb ? { databasePath: path } : {}),
    };
  } finally {
    close();
  }
}

function integerFlag(name: string, text: string | undefined, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
  return value;
}


async function main(): Promise<void> {
  const { values } = parseArgs({ options: analyticsFlags });
  const options: BenchOptions = {
    messages: integerFlag('messages', values.messages, PAGE_SIZE),
    ingestBudgetSeconds: integerFlag('ingest-budget-seconds', values['ingest-budget-seconds'], 1),
    syncMessages: integerFlag('sync-messages', values['sync-messages'], 0),
    syncBudgetSeconds: integerFlag('sync-budget-seconds', values['sync-budget-seconds'], 1),
    runs: integerFlag('runs', values.runs, 1),
    warmup: integerFlag('warmup', values.warmup, 0),
    seed: integerFlag('seed', values.seed, 0),
    profileEvery: integerFlag('profile-every', values['profile-every'], 0),
    keepDb: values['keep-db'] ?? false,
  };
  const directory = mkdtempSync(join(tmpdir(), 'pulse-bench-analytics-'));
  let result: BenchResult;
  try {
    result = await measureAnalytics(options, directory);
  } finally {
    if (!options.keepDb) rmSync(directory, { recursive: true, force: true });
  }
  const table = renderAnalyticsBenchTable(result);
  const notes = describeAnalyticsBench(result);
  publishBenchResults('analytics', {
    table,
    notes,
    details: {
      source: describeSource(),
      targets: { recordsPerSecond: TARGET_RECORDS_PER_SECOND, topHelpersMedianMs: TARGET_TOP_HELPERS_MS, weeklyMedianMs: TARGET_WEEKLY_MS },
      result,
    },
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
