/**
 * Evidence-cited people summaries: one person's signals for a period and the
 * threads that make them up, each as a Slack permalink the summary cites.
 * Only metadata is used (channel, thread ts, counts); no stored text. The
 * refusals are sentences the model relays. Pure apart from the types.
 */
import { LINK_KINDS, type LinkKind } from './classify-link.ts';
import type { Dimension, Metric, MetricRow } from '../db/analytics-queries.ts';
import type { PersonThreadsResult } from '../db/evidence-queries.ts';
import { PERSON_EXPORT_SIGNALS } from './metrics-export.ts';
import { MS_PER_DAY } from './stored-message.ts';

/** Threads a summary is given: enough to cite every claim, few enough to keep the model's context small. */
export const MAX_EVIDENCE_THREADS = 20;

/** A person's signals: the additive ones the export has, and in how many channels they were active. */
export const EVIDENCE_SIGNALS = [...PERSON_EXPORT_SIGNALS, 'channels_active_in'] as const satisfies readonly Metric[];

export const EVIDENCE_REFUSALS = {
  notAdmin: 'People summaries are only for Pulse admins. I can give channel-level figures, or your own figures.',
  notPrivate: 'People summaries are only given to an admin privately, not in answers posted for others.',
  optedOut: 'This person asked to be left out of people summaries, so I cannot summarize their collaboration.',
  pseudonymsOnly:
    'People are pseudonymized in this workspace: name the person by their pseudonym (P-…), as workspace_metrics lists them, not by Slack id or name.',
  needsId: 'Name the person by Slack user id: resolve their name with find_person first.',
} as const;

export interface PersonEvidenceRequest {
  /** A Slack user id (from find_person), or a pseudonym in a pseudonymized workspace. */
  person: string;
  channels?: string[];
  /** YYYY-MM-DD, inclusive; default: the last 30 days. */
  from?: string;
  to?: string;
}

/** A Slack user id as Slack writes them (U… or W…), or a Pulse pseudonym. */
export function isSlackUserId(value: string): boolean {
  return /^[UW][A-Z0-9]{2,}$/.test(value);
}

export function isPseudonym(value: string): boolean {
  return /^P-[A-Z2-7]+$/.test(value);
}

export type EvidenceQuery = (metric: Metric, groupBy: Dimension[]) => MetricRow[];

/** The person's signals over the scope: one total per signal, links also by kind (only kinds with links). */
export function collectEvidenceSignals(query: EvidenceQuery): Record<string, number | Partial<Record<LinkKind, number>>> {
  const signals: Record<string, number | Partial<Record<LinkKind, number>>> = {};
  for (const signal of EVIDENCE_SIGNALS) signals[signal] = query(signal, [])[0]?.value ?? 0;
  const byKind: Partial<Record<LinkKind, number>> = {};
  for (const row of query('links', ['link_kind'])) {
    const kind = row.keys.link_kind as LinkKind;
    if (LINK_KINDS.includes(kind) && row.value > 0) byKind[kind] = row.value;
  }
  signals.links_by_kind = byKind;
  return signals;
}

function dayOf(ms: number): string {
  return new Date(Math.floor(ms / MS_PER_DAY) * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The tool's answer: who, when, signals, and the threads as permalinks with what the person did in each. */
export function buildEvidenceResult(input: {
  personLabel: string;
  range: string;
  channelsCounted: string[];
  channelNames: ReadonlyMap<string, string>;
  signals: Record<string, unknown>;
  threads: PersonThreadsResult;
  permalink: (channelId: string, threadTs: string) => string;
  notes: string[];
}): Record<string, unknown> {
  const { threads } = input;
  const more = threads.total - threads.threads.length;
  return {
    person: input.personLabel,
    range: input.range,
    channels_counted: input.channelsCounted,
    signals: input.signals,
    threads: {
      columns: ['link', 'channel', 'date', 'role', 'their_help_replies', 'replies', 'participants', 'root_is_question'],
      rows: threads.threads.map((thread) => [
        input.permalink(thread.channelId, thread.threadTs),
        `#${input.channelNames.get(thread.channelId) ?? thread.channelId}`,
        dayOf(thread.rootMs),
        thread.role === 'started' ? 'started the thread' : 'gave help replies',
        thread.helpReplies,
        thread.replies,
        thread.participants,
        thread.rootIsQuestion,
      ]),
    },
    threads_total: threads.total,
    more_threads: more,
    notes: [
      ...input.notes,
      ...(more > 0 ? [`Showing the ${threads.threads.length} most active of ${threads.total} threads; ${more} more are not listed.`] : []),
      ...(threads.total === 0 ? ['No thread started or helped in by this person in the range and channels counted.'] : []),
      'Write a short summary where every claim cites one of these links as <link|label>; claim nothing the figures and threads do not show. Message text is not available.',
    ],
  };
}
