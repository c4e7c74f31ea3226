/**
 * The analytics test world's shape: its people and how often each posts, the
 * channels Pulse must read and those it must never read, how busy each
 * channel is, and the types of the world and its messages. The messages
 * themselves are drawn in analytics-world-messages.ts.
 */
import type { HistoryMessage } from '../../src/emulator/driver.ts';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
/** Recent activity spans this many days before `nowMs`. */
export const ACTIVE_DAYS = 60;
/** The lookback the world is built for; the old messages sit just beyond it. */
export const LOOKBACK_DAYS = 90;
/** The admin's auto-join pattern the channel names are chosen against. */
export const AUTO_JOIN_PATTERN = '^eng-';

export const PEOPLE = ['ada', 'alice', 'bob', 'carol', 'dan', 'erin', 'frank', 'grace', 'heidi'] as const;
export type PersonName = (typeof PEOPLE)[number];
/** How often each person posts, relative to the others. */
export const ACTIVITY: Record<PersonName, number> = { ada: 0.6, alice: 1.4, bob: 1, carol: 1.2, dan: 0.8, erin: 1, frank: 0.7, grace: 0.9, heidi: 0.5 };

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
export const PLANS: Record<ChannelName, ChannelPlan> = {
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
