/**
 * Answers metric questions for one asker, with access control here rather
 * than in the prompt: figures only for synced channels the asker is a member
 * of; per-person figures only for admins (or everyone, if an admin widened
 * it), except one's own. A refusal says why, in a sentence the model relays.
 */
import type { AnalyticsChannelStore } from '../db/analytics-channel-store.ts';
import {
  kindsOfMask,
  TIME_DIMENSIONS,
  type AnalyticsQueries,
  type Dimension,
  type Metric,
  type MetricRow,
} from '../db/analytics-queries.ts';
import type { AnalyticsSettings } from './analytics-settings.ts';
import type { LinkKind } from './classify-link.ts';
import { MS_PER_DAY } from './stored-message.ts';

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

export interface MetricRequest {
  metric: Metric;
  groupBy: Dimension[];
  /** Channel ids or names ("eng-help", "#eng-help"). */
  channels?: string[];
  /** Slack user ids (or pseudonyms). */
  people?: string[];
  linkKinds?: LinkKind[];
  /** YYYY-MM-DD, inclusive; default: DEFAULT_RANGE_DAYS ago. */
  from?: string;
  /** YYYY-MM-DD, inclusive; default: today. */
  to?: string;
  top?: number;
  sort?: 'desc' | 'asc';
}

export interface ThreadRequest {
  channels?: string[];
  people?: string[];
  linkKinds?: LinkKind[];
  from?: string;
  to?: string;
  order: 'replies' | 'participants' | 'slowest_first_reply';
  limit?: number;
}

export type Refusal = { refused: string };

/** Without dates, figures cover this many days up to today. */
export const DEFAULT_RANGE_DAYS = 30;
/** Rows of a ranked (person/channel) result when the asker names no top N. */
export const DEFAULT_TOP = 10;
/** Most rows a result carries back to the model (a year of days per channel is already a lot of tokens). */
export const MAX_RESULT_ROWS = 400;
export const MAX_THREADS = 50;

export const METRIC_DEFINITIONS: Record<Metric, string> = {
  messages: 'Messages people sent (thread replies included; bots and join/leave notices excluded).',
  threads_started: "People's messages that got at least one reply.",
  replies: 'Thread replies people sent.',
  help_replies: "Replies in a thread whose first message asks a question, by someone other than the question's author.",
  reactions_given: 'Emoji reactions a person added to others\u2019 messages.',
  reactions_received: 'Emoji reactions on a person\u2019s messages from others.',
  mentions_given: 'People a person @-mentioned (each distinct person per message).',
  mentions_received: 'Times a person was @-mentioned by someone else.',
  links: 'Links people shared (each distinct URL per message), optionally only some kinds of work item.',
  bot_messages: 'Messages posted by bots and integrations.',
  channels_active_in: 'Distinct channels a person sent at least one message in.',
  active_people: 'Distinct people who sent at least one message.',
  threads: 'Threads started by people (first message by a person, at least one reply).',
  avg_replies_per_thread: 'Average replies by people per thread.',
  avg_participants_per_thread: 'Average distinct people per thread, its author included.',
  median_minutes_to_first_reply: 'Median minutes from a thread\u2019s first message to the first reply by someone else.',
};

const PERSON_METRICS: ReadonlySet<Metric> = new Set(['channels_active_in']);
const CHANNEL_ONLY_METRICS: ReadonlySet<Metric> = new Set(['bot_messages', 'active_people']);

export interface WorkspaceMetricsDependencies {
  queries: AnalyticsQueries;
  channels: AnalyticsChannelStore;
  settings: (teamId: string) => AnalyticsSettings;
  access: AnalyticsAccess;
  now?: () => Date;
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

export class WorkspaceMetrics {
  private readonly now: () => Date;

  constructor(private readonly deps: WorkspaceMetricsDependencies) {
    this.now = deps.now ?? (() => new Date());
  }

  async metric(asker: Asker, request: MetricRequest): Promise<Refusal | Record<string, unknown>> {
    const groupBy = [...new Set(request.groupBy)];
    if (groupBy.length > 2) return { refused: 'Group by at most two dimensions (for example channel and week).' };
    if (groupBy.includes('link_kind') && request.metric !== 'links') return { refused: 'Only the links metric can be grouped by link_kind.' };
    if (groupBy.includes('person') && CHANNEL_ONLY_METRICS.has(request.metric)) {
      return { refused: `${request.metric} is a channel figure; it cannot be split by person.` };
    }
    const wantsPeople = groupBy.includes('person') || (request.people?.length ?? 0) > 0 || PERSON_METRICS.has(request.metric);
    const scope = await this.scope(asker, request, wantsPeople);
    if ('refused' in scope) return scope;
    let rows = this.deps.queries.metric({
      teamId: asker.teamId,
      metric: request.metric,
      groupBy,
      channelIds: scope.channelIds,
      ...(scope.personIds ? { personIds: scope.personIds } : {}),
      ...(request.linkKinds?.length ? { linkKinds: request.linkKinds } : {}),
      fromDay: scope.fromDay,
      toDay: scope.toDay,
    });
    rows = this.rank(rows, groupBy, request, scope.notes);
    const names = await this.namePeople(asker.teamId, rows.flatMap((row) => (row.keys.person === undefined ? [] : [String(row.keys.person)])));
    const { channelNames } = scope;
    const columns = [...groupBy, request.metric];
    return {
      metric: request.metric,
      definition: METRIC_DEFINITIONS[request.metric],
      range: describeRange(scope.fromDay, scope.toDay),
      channels_counted: scope.channelIds.map((id) => `#${channelNames.get(id) ?? id}`),
      columns,
      rows: rows.map((row) => [
        ...groupBy.map((dimension) => formatKey(dimension, row.keys[dimension], names, channelNames)),
        round(row.value),
      ]),
      notes: scope.notes,
    };
  }

  async threads(asker: Asker, request: ThreadRequest): Promise<Refusal | Record<string, unknown>> {
    const scope = await this.scope(asker, request, (request.people?.length ?? 0) > 0);
    if ('refused' in scope) return scope;
    const mayName = await this.maySeePeople(asker);
    const rows = this.deps.queries.threads({
      teamId: asker.teamId,
      channelIds: scope.channelIds,
      ...(scope.personIds ? { personIds: scope.personIds } : {}),
      ...(request.linkKinds?.length ? { linkKinds: request.linkKinds } : {}),
      fromDay: scope.fromDay,
      toDay: scope.toDay,
      order: request.order,
      limit: Math.min(request.limit ?? DEFAULT_TOP, MAX_THREADS),
    });
    const names = mayName ? await this.namePeople(asker.teamId, rows.map((row) => row.rootAuthorId)) : new Map<string, string>();
    const { channelNames } = scope;
    if (!mayName) scope.notes.push('Thread authors are left out: per-person figures are for admins.');
    return {
      range: describeRange(scope.fromDay, scope.toDay),
      columns: ['channel', 'link', ...(mayName ? ['started_by'] : []), 'replies', 'participants', 'minutes_to_first_reply', 'link_kinds', 'question'],
      rows: rows.map((row) => [
        `#${channelNames.get(row.channelId) ?? row.channelId}`,
        this.deps.access.permalink(asker.teamId, row.channelId, row.threadTs),
        ...(mayName ? [names.get(row.rootAuthorId) ?? row.rootAuthorId] : []),
        row.replies,
        row.participants,
        row.firstReplyMs === null ? null : round(row.firstReplyMs / 60_000),
        kindsOfMask(row.linkMask).join(' ') || '-',
        row.rootIsQuestion,
      ]),
      notes: scope.notes,
    };
  }

  /** Synced channels, marking which the asker may get figures for. */
  async listChannels(asker: Asker, query?: string): Promise<Record<string, unknown>> {
    const known = this.deps.channels.list(asker.teamId);
    const member = await this.visibleChannelIds(asker, known);
    const needle = normalizeChannelName(query ?? '');
    const channels = known
      .filter((channel) => channel.isMember || channel.coveredToTs)
      .filter((channel) => needle === '' || channel.name.toLowerCase().includes(needle));
    return {
      columns: ['id', 'name', 'private', 'archived', 'you_are_a_member', 'synced_until'],
      rows: channels
        .filter((channel) => !channel.isPrivate || member.has(channel.channelId))
        .map((channel) => [
          channel.channelId,
          `#${channel.name}`,
          channel.isPrivate,
          channel.isArchived,
          member.has(channel.channelId),
          channel.coveredToTs ? new Date(Number(channel.coveredToTs) * 1000).toISOString() : 'not yet synced',
        ]),
      notes: ['Figures are available for channels Pulse syncs that you are a member of.'],
    };
  }

  async findPerson(asker: Asker, query: string): Promise<Refusal | Record<string, unknown>> {
    if (this.deps.settings(asker.teamId).pseudonymize) {
      return {
        refused:
          'People are pseudonymized in this workspace, so I cannot match names to figures. Per-person results name pseudonyms (P-…) only.',
      };
    }
    const matches = await this.deps.access.searchPeople(asker.teamId, query);
    return {
      columns: ['id', 'name', 'title'],
      rows: matches.map((person) => [person.id, person.name, person.title ?? '']),
      notes: matches.length === 0 ? [`No one in the workspace matches "${query}".`] : [],
    };
  }

  private async maySeePeople(asker: Asker): Promise<boolean> {
    if (this.deps.settings(asker.teamId).personFiguresFor === 'everyone') return true;
    return !asker.audience && (await this.deps.access.isAdmin(asker.teamId, asker.userId));
  }

  /** Channels whose figures the asker may get: theirs, less private ones their audience may not see. */
  private async visibleChannelIds(asker: Asker, known: readonly { channelId: string; isPrivate: boolean }[]): Promise<ReadonlySet<string>> {
    const member = await this.deps.access.memberChannelIds(asker.teamId, asker.userId);
    const audience = asker.audience;
    if (!audience) return member;
    const privateIds = new Set(known.filter((channel) => channel.isPrivate).map((channel) => channel.channelId));
    return new Set([...member].filter((id) => !privateIds.has(id) || audience.privateChannelIds.includes(id)));
  }

  /**
   * The asker's access scope for a request: the synced channels they may get figures for (the ones asked
   * for, or all of theirs), whether they may see per-person figures, and the range. Exports and people
   * summaries use it too, so every path applies the same rules.
   */
  async scope(
    asker: Asker,
    request: { channels?: string[]; people?: string[]; from?: string; to?: string },
    wantsPeople: boolean,
  ): Promise<MetricScope | Refusal> {
    const settings = this.deps.settings(asker.teamId);
    const people = request.people?.length ? [...new Set(request.people)] : undefined;
    const onlySelf = people?.length === 1 && people[0] === asker.userId && !settings.pseudonymize;
    if (wantsPeople && !onlySelf && !(await this.maySeePeople(asker))) {
      return {
        refused:
          'Per-person figures are only for workspace admins here (an admin can change that in Pulse\u2019s App Home). I can give channel-level figures, or your own.',
      };
    }
    const range = parseRange(request.from, request.to, this.now());
    if ('refused' in range) return range;
    const known = this.deps.channels.list(asker.teamId);
    const member = await this.visibleChannelIds(asker, known);
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

  private rank(rows: MetricRow[], groupBy: Dimension[], request: MetricRequest, notes: string[]): MetricRow[] {
    const time = groupBy.find((dimension) => TIME_DIMENSIONS.has(dimension));
    const other = groupBy.find((dimension) => !TIME_DIMENSIONS.has(dimension));
    const direction = request.sort === 'asc' ? 1 : -1;
    let result = rows;
    if (other) {
      // Rank the non-time keys by their total; a series keeps every period of the top keys.
      const totals = new Map<string, number>();
      for (const row of rows) totals.set(String(row.keys[other]), (totals.get(String(row.keys[other])) ?? 0) + row.value);
      const ranked = [...totals].sort((a, b) => direction * (a[1] - b[1]) || a[0].localeCompare(b[0]));
      const top = request.top ?? (time ? ranked.length : DEFAULT_TOP);
      if (ranked.length > top) notes.push(`Showing the top ${top} of ${ranked.length} by ${request.metric}.`);
      const order = new Map(ranked.slice(0, top).map(([key], index) => [key, index]));
      result = rows.filter((row) => order.has(String(row.keys[other])));
      result.sort(
        (a, b) =>
          (order.get(String(a.keys[other])) as number) - (order.get(String(b.keys[other])) as number) ||
          (time ? compareKeys(a.keys[time], b.keys[time]) : 0),
      );
    } else if (time) {
      result = [...rows].sort((a, b) => compareKeys(a.keys[time], b.keys[time]));
    }
    if (result.length > MAX_RESULT_ROWS) {
      notes.push(`Only the first ${MAX_RESULT_ROWS} of ${result.length} rows are shown; narrow the range or group by week or month.`);
      result = result.slice(0, MAX_RESULT_ROWS);
    }
    return result;
  }

  /** Display names of Slack user ids (pseudonyms have none). */
  async namePeople(teamId: string, personIds: string[]): Promise<Map<string, string>> {
    const ids = [...new Set(personIds)].filter((id) => !id.startsWith('P-'));
    return ids.length === 0 ? new Map() : this.deps.access.describePeople(teamId, ids);
  }
}

function compareKeys(a: unknown, b: unknown): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

function normalizeChannelName(value: string): string {
  return value.trim().replace(/^#/, '').toLowerCase();
}

function dayToDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function formatKey(dimension: Dimension, key: unknown, names: Map<string, string>, channels: Map<string, string>): string {
  switch (dimension) {
    case 'person':
      return names.has(String(key)) ? `${names.get(String(key))} (${String(key)})` : String(key);
    case 'channel':
      return `#${channels.get(String(key)) ?? String(key)}`;
    case 'day':
      return dayToDate(Number(key));
    case 'week':
      return `week of ${dayToDate(Number(key))}`;
    default:
      return String(key);
  }
}

export function describeRange(fromDay: number, toDay: number): string {
  return `${dayToDate(fromDay)} to ${dayToDate(toDay - 1)} (UTC days, inclusive)`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseRange(from: string | undefined, to: string | undefined, now: Date): { fromDay: number; toDay: number } | Refusal {
  const today = Math.floor(now.getTime() / MS_PER_DAY);
  // Date.parse rolls 2024-02-30 over into March; a date must read back as itself.
  const parse = (value: string) => {
    const ms = DATE.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
    return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value ? undefined : Math.floor(ms / MS_PER_DAY);
  };
  const toDay = to === undefined ? today + 1 : (parse(to) ?? NaN) + 1;
  const fromDay = from === undefined ? toDay - DEFAULT_RANGE_DAYS : (parse(from) ?? NaN);
  if (Number.isNaN(fromDay) || Number.isNaN(toDay)) return { refused: 'Dates must be real calendar days written YYYY-MM-DD.' };
  if (fromDay >= toDay) return { refused: 'The start date must be on or before the end date.' };
  return { fromDay, toDay };
}
