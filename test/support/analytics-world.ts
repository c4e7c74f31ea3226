/**
 * A seeded, deterministic workspace for analytics end-to-end tests: nine
 * people, a GitHub bot, channels Pulse must read and channels it must never
 * read, ~2,800 messages in the synced channels over the last 60 days plus ~100
 * older than 90 days, a few hundred more where Pulse must not read. Its shape
 * (people, channels, plans, types) is in analytics-world-shape.ts, the drawing
 * of its messages in analytics-world-messages.ts, and the reference numbers a
 * correct sync must lead to in analytics-world-figures.ts.
 *
 * The emulator posts Slack's "has joined the channel" notice when Pulse joins
 * eng-prs; that notice is live (at the emulator's clock), not part of the
 * world, and no signal counts it.
 */
import { compareText } from '../../src/analytics/message-roles.ts';
import type { SlackEmulator } from '../../src/emulator/driver.ts';
import { generateWorldMessages } from './analytics-world-messages.ts';
import {
  AUTO_JOIN_PATTERN,
  DAY_MS,
  LOOKBACK_DAYS,
  PLANS,
  SYNCED_CHANNELS,
  UNREAD_CHANNELS,
  type AnalyticsWorld,
  type ChannelName,
  type PersonName,
} from './analytics-world-shape.ts';

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
  generateWorldMessages(emulator, world);
  // Every ts has ten digits of seconds and six of micros, so text order is time order.
  world.messages.sort((a, b) => compareText(a.ts, b.ts) || compareText(a.channel, b.channel));
  for (const channel of Object.values(channels)) {
    emulator.importHistory(channel, world.messages.filter((message) => message.channel === channel));
  }
  return world;
}
