/**
 * Evidence-cited people summaries for one asker: one person's signals and the
 * threads behind them, for admins only (never in answers posted for others),
 * over the asker's access scope (WorkspaceMetrics.scope), refusing anyone who
 * opted out; and the opt-out itself, which only ever changes the asker. The
 * result's shape and the refusals are in people-evidence.ts.
 */
import type { AnalyticsQueries } from '../db/analytics-queries.ts';
import type { EvidenceQueries } from '../db/evidence-queries.ts';
import type { PeopleSummaryOptOuts } from '../db/opt-out-store.ts';
import type { AnalyticsSettings } from './analytics-settings.ts';
import {
  buildEvidenceResult,
  collectEvidenceSignals,
  EVIDENCE_REFUSALS,
  isPseudonym,
  isSlackUserId,
  MAX_EVIDENCE_THREADS,
  type PersonEvidenceRequest,
} from './people-evidence.ts';
import type { Pseudonymize } from './pseudonym.ts';
import { describeRange, type AnalyticsAccess, type Asker, type Refusal, type WorkspaceMetrics } from './workspace-metrics.ts';

/** Said when pseudonyms are on but this PeopleSummaries was built without a pseudonymizer. */
const SUMMARIES_UNAVAILABLE = 'People summaries are not available in this Pulse.';

export interface PeopleSummariesDependencies {
  /** The asker's access scope and people's names, as workspace_metrics has them. */
  metrics: Pick<WorkspaceMetrics, 'scope' | 'namePeople'>;
  queries: AnalyticsQueries;
  settings: (teamId: string) => AnalyticsSettings;
  access: Pick<AnalyticsAccess, 'isAdmin' | 'permalink'>;
  /** The threads behind a person's signals. */
  evidence: EvidenceQueries;
  /** Who asked to be left out of people summaries. */
  optOuts: PeopleSummaryOptOuts;
  /** A workspace's pseudonymizer: matches an opted-out person to their pseudonym where people are stored pseudonymized. */
  pseudonymizer?: (teamId: string) => Pseudonymize;
}

export class PeopleSummaries {
  constructor(private readonly deps: PeopleSummariesDependencies) {}

  /** One person's signals and the threads behind them, as permalinks to cite (admins only; opt-outs honoured). */
  async collaborationEvidence(asker: Asker, request: PersonEvidenceRequest): Promise<Refusal | Record<string, unknown>> {
    const { evidence, optOuts } = this.deps;
    if (asker.audience) return { refused: EVIDENCE_REFUSALS.notPrivate };
    if (!(await this.deps.access.isAdmin(asker.teamId, asker.userId))) return { refused: EVIDENCE_REFUSALS.notAdmin };
    const settings = this.deps.settings(asker.teamId);
    const person = request.person.trim().replace(/^<@/, '').replace(/>$/, '').replace(/^@/, '').split('|')[0] ?? '';
    if (settings.pseudonymize ? !isPseudonym(person) : !isSlackUserId(person)) {
      return { refused: settings.pseudonymize ? EVIDENCE_REFUSALS.pseudonymsOnly : EVIDENCE_REFUSALS.needsId };
    }
    const optedOut = optOuts.list(asker.teamId);
    const pseudonymize = settings.pseudonymize ? this.deps.pseudonymizer?.(asker.teamId) : undefined;
    // Without the pseudonymizer an opted-out person could not be recognized by their pseudonym.
    if (settings.pseudonymize && !pseudonymize) return { refused: SUMMARIES_UNAVAILABLE };
    if (optedOut.some((id) => (pseudonymize ? pseudonymize(id) : id) === person)) return { refused: EVIDENCE_REFUSALS.optedOut };
    const scope = await this.deps.metrics.scope(asker, request, true);
    if ('refused' in scope) return scope;
    const base = { teamId: asker.teamId, channelIds: scope.channelIds, fromDay: scope.fromDay, toDay: scope.toDay, personIds: [person] };
    const signals = collectEvidenceSignals((metric, groupBy) => this.deps.queries.metric({ ...base, metric, groupBy }));
    const threads = evidence.personThreads({ ...base, personId: person, limit: MAX_EVIDENCE_THREADS });
    const name = settings.pseudonymize ? undefined : (await this.deps.metrics.namePeople(asker.teamId, [person])).get(person);
    return buildEvidenceResult({
      personLabel: name ? `${name} (${person})` : person,
      range: describeRange(scope.fromDay, scope.toDay),
      channelsCounted: scope.channelIds.map((id) => `#${scope.channelNames.get(id) ?? id}`),
      channelNames: scope.channelNames,
      signals,
      threads,
      permalink: (channelId, threadTs) => this.deps.access.permalink(asker.teamId, channelId, threadTs),
      notes: [
        ...scope.notes,
        ...(settings.pseudonymize ? ['People are pseudonymized in this workspace: refer to this person by their pseudonym only.'] : []),
      ],
    });
  }

  /** The asker leaves people summaries (or comes back); only ever for themselves. */
  async setPeopleSummaryOptOut(asker: Asker, optOut: boolean): Promise<Refusal | Record<string, unknown>> {
    if (asker.audience) return { refused: 'Change this in a conversation with Pulse, not in a scheduled report.' };
    const optedOut = this.deps.optOuts.set(asker.teamId, asker.userId, optOut);
    return {
      opted_out: optedOut,
      message: optedOut
        ? 'You are left out of people summaries from now on: Pulse will refuse to summarize your collaboration for anyone. Your activity still counts in workspace figures.'
        : 'You are included in people summaries again: admins can ask Pulse to summarize your collaboration, with links to the threads.',
    };
  }
}
