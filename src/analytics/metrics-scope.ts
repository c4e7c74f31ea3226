/**
 * Who may see which figures: the synced channels an asker (and, for a posted
 * report, its audience) may get figures for, whether per-person figures are
 * allowed, and the range. Every path to figures — metrics, threads, exports,
 * people summaries — goes through resolveMetricScope so the rules live once.
 */
import type { AnalyticsChannelStore } from '../db/analytics-channel-store.ts';
import type { AnalyticsSettings } from './analytics-settings.ts';
import type { Refusal } from './metric-requests.ts';
import { parseRange } from './metrics-time-range.ts';

export interface Asker {
  teamId: string;
  userId: string;
  /** Set when the answer is posted for others too (a scheduled report): the figures are held to what they may see. */
  audience?: Audience;
}

/**
 * Who reads an answer besides its asker. Private channels' figures are left
 * out except those listed (a private channel's own figures may be posted in
 * it), and per-person figures follow the rule for members who are not admins.
 */
export interface Audience {
  privateChannelIds: readonly string[];
}

/** What the metric service needs from Slack (src/slack implements it, cached). */
export interface AnalyticsAccess {
  isAdmin(teamId: string, userId: string): Promise<boolean>;
  /** Public and private channels the person is a member of. */
  memberChannelIds(teamId: string, userId: string): Promise<ReadonlySet<string>>;
  /** Display names for Slack user ids (unknown ids are left out). */
  describePeople(teamId: string, userIds: readonly string[]): Promise<Map<string, string>>;
  searchPeople(teamId: string, query: string): Promise<{ id: string; name: string; title?: string }[]>;
  permalink(teamId: string, channelId: string, ts: string): string;
}

/** What an asker may get figures for: the channels, the people asked about, the range. */
export interface MetricScope {
  channelIds: string[];
  /** Channel id → name, from the same read of the channel list the scope was built from. */
  channelNames: Map<string, string>;
  personIds: string[] | undefined;
  fromDay: number;
  toDay: number;
  notes: string[];
}

/** The parts of the metric service's dependencies the access rules read. */
export interface ScopeDependencies {
  channels: AnalyticsChannelStore;
  settings: (teamId: string) => AnalyticsSettings;
  access: AnalyticsAccess;
}

export async function maySeePeople(deps: ScopeDependencies, asker: Asker): Promise<boolean> {
  if (deps.settings(asker.teamId).personFiguresFor === 'everyone') return true;
  return !asker.audience && (await deps.access.isAdmin(asker.teamId, asker.userId));
}

/** Channels whose figures the asker may get: theirs, less private ones their audience may not see. */
export async function visibleChannelIds(
  access: AnalyticsAccess,
  asker: Asker,
  known: readonly { channelId: string; isPrivate: boolean }[],
): Promise<ReadonlySet<string>> {
  const member = await access.memberChannelIds(asker.teamId, asker.userId);
  const audience = asker.audience;
  if (!audience) return member;
  const privateIds = new Set(known.filter((channel) => channel.isPrivate).map((channel) => channel.channelId));
  return new Set([...member].filter((id) => !privateIds.has(id) || audience.privateChannelIds.includes(id)));
}

export function normalizeChannelName(value: string): string {
  return value.trim().replace(/^#/, '').toLowerCase();
}

/**
 * The asker's access scope for a request: the synced channels they may get figures for (the ones asked
 * for, or all of theirs), whether they may see per-person figures, and the range. `now` is read only
 * once the people check has passed, when the range is parsed.
 */
export async function resolveMetricScope(
  deps: ScopeDependencies,
  now: () => Date,
  asker: Asker,
  request: { channels?: string[]; people?: string[]; from?: string; to?: string },
  wantsPeople: boolean,
): Promise<MetricScope | Refusal> {
  const settings = deps.settings(asker.teamId);
  const people = request.people?.length ? [...new Set(request.people)] : undefined;
  const onlySelf = people?.length === 1 && people[0] === asker.userId && !settings.pseudonymize;
  if (wantsPeople && !onlySelf && !(await maySeePeople(deps, asker))) {
    return {
      refused:
        'Per-person figures are only for workspace admins here (an admin can change that in Pulse\u2019s App Home). I can give channel-level figures, or your own.',
    };
  }
  const range = parseRange(request.from, request.to, now());
  if ('refused' in range) return range;
  const known = deps.channels.list(asker.teamId);
  const member = await visibleChannelIds(deps.access, asker, known);
  const synced = known.filter((channel) => channel.isMember || channel.coveredToTs);
  const notes: string[] = [];
  let channelIds: string[];
  if (request.channels?.length) {
    channelIds = [];
    for (const wanted of request.channels) {
      const name = normalizeChannelName(wanted);
      const channel = known.find((candidate) => candidate.channelId === wanted || candidate.name.toLowerCase() === name);
      if (!channel || (!channel.isMember && !channel.coveredToTs)) {
        return {
          refused: `I don't have data for ${wanted.startsWith('#') || /^[CG][A-Z0-9]+$/.test(wanted) ? wanted : `#${wanted}`}: Pulse only counts channels it is a member of. Invite it with \`/invite @Pulse\` there (or an admin can add a name pattern for public channels in App Home).`,
        };
      }
      if (!member.has(channel.channelId)) {
        if (asker.audience && channel.isPrivate) {
          return { refused: 'That private channel\u2019s figures can\u2019t be posted where people outside it would read them.' };
        }
        // A private channel's name is not told to someone outside it.
        return {
          refused: channel.isPrivate
            ? "You're not a member of that private channel, so I can't share figures about it."
            : `You're not a member of #${channel.name}, so I can't share figures about it.`,
        };
      }
      channelIds.push(channel.channelId);
    }
  } else {
    channelIds = synced.filter((channel) => member.has(channel.channelId)).map((channel) => channel.channelId);
    const hidden = synced.length - channelIds.length;
    if (hidden > 0) {
      notes.push(
        asker.audience
          ? `${hidden} synced channel${hidden === 1 ? '' : 's'} ${hidden === 1 ? 'is' : 'are'} not counted: ${hidden === 1 ? 'it is' : 'they are'} private, or you are not a member.`
          : `${hidden} synced channel${hidden === 1 ? '' : 's'} you are not a member of ${hidden === 1 ? 'is' : 'are'} not counted.`,
      );
    }
    if (channelIds.length === 0) {
      return { refused: 'None of the channels Pulse syncs has you as a member, so there are no figures I can share with you.' };
    }
  }
  if (settings.pseudonymize && people?.some((person) => !person.startsWith('P-'))) {
    return { refused: 'People are pseudonymized in this workspace: filter by pseudonyms (P-…), not Slack ids.' };
  }
  const pending = synced.filter((channel) => channelIds.includes(channel.channelId) && !channel.coveredToTs);
  if (pending.length > 0) notes.push(`Not synced yet: ${pending.map((channel) => `#${channel.name}`).join(', ')}.`);
  const channelNames = new Map(known.map((channel) => [channel.channelId, channel.name]));
  return { channelIds, personIds: people, fromDay: range.fromDay, toDay: range.toDay, notes, channelNames };
}
