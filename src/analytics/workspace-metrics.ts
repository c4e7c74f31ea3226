/**
 * Answers metric questions for one asker, with access control here rather
 * than in the prompt: figures only for synced channels the asker is a member
 * of; per-person figures only for admins (or everyone, if an admin widened
 * it), except one's own. A refusal says why, in a sentence the model relays.
 * The access rules live in metrics-scope.ts, ranges in metrics-time-range.ts,
 * and table shaping in metrics-table.ts; this module ties them to the queries.
 */
import { kindsOfMask, type AnalyticsQueries } from '../db/analytics-queries.ts';
import { CHANNEL_ONLY_METRICS, METRIC_DEFINITIONS, PERSON_METRICS, type MetricRequest, type Refusal, type ThreadRequest } from './metric-requests.ts';
import {
  maySeePeople,
  normalizeChannelName,
  resolveMetricScope,
  visibleChannelIds,
  type Asker,
  type MetricScope,
  type ScopeDependencies,
} from './metrics-scope.ts';
import { DEFAULT_TOP, formatKey, rankRows, round } from './metrics-table.ts';
import { describeRange } from './metrics-time-range.ts';

export { METRIC_DEFINITIONS } from './metric-requests.ts';
export type { MetricRequest, Refusal, ThreadRequest } from './metric-requests.ts';
export type { AnalyticsAccess, Asker, Audience, MetricScope } from './metrics-scope.ts';
export { DEFAULT_TOP, MAX_RESULT_ROWS } from './metrics-table.ts';
export { DEFAULT_RANGE_DAYS, describeRange } from './metrics-time-range.ts';

export const MAX_THREADS = 50;

export interface WorkspaceMetricsDependencies extends ScopeDependencies {
  queries: AnalyticsQueries;
  now?: () => Date;
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
    rows = rankRows(rows, groupBy, request, scope.notes);
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
    const mayName = await maySeePeople(this.deps, asker);
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
    const member = await visibleChannelIds(this.deps.access, asker, known);
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

  /**
   * The asker's access scope for a request (see resolveMetricScope). Exports and people summaries use it
   * too, so every path applies the same rules.
   */
  async scope(
    asker: Asker,
    request: { channels?: string[]; people?: string[]; from?: string; to?: string },
    wantsPeople: boolean,
  ): Promise<MetricScope | Refusal> {
    return resolveMetricScope(this.deps, this.now, asker, request, wantsPeople);
  }

  /** Display names of Slack user ids (pseudonyms have none). */
  async namePeople(teamId: string, personIds: string[]): Promise<Map<string, string>> {
    const ids = [...new Set(personIds)].filter((id) => !id.startsWith('P-'));
    return ids.length === 0 ? new Map() : this.deps.access.describePeople(teamId, ids);
  }
}
