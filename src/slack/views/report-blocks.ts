/**
 * Scheduled reports in messages: the delivered report, the agent's proposal and
 * what became of it, and the owner's failure DM (pure builders), plus the small
 * helpers the report Home section and modals share.
 *
 * Escaping: what people typed (report names, questions, query values) is
 * escaped; Pulse's own mrkdwn (schedule descriptions, user-safe problems,
 * destination descriptions) goes in as it is, as in the other views.
 */
import type { types } from '@slack/bolt';
import type { Report, ReportProposal, ReportSchedule, ReportWork, RunTrigger } from '../../reports/report-types.ts';
import { escapeSlackCode, escapeSlackText } from '../reply/escape-slack-text.ts';
import { splitMessage } from '../reply/split-message.ts';
import { REPORT_IDS } from '../ids.ts';

type KnownBlock = types.KnownBlock;

/** Re-exported for the report listeners and views, which read them with the builders. */
export { REPORT_IDS };

/** Slack caps header text at 150 characters; a report's name is its message's header, so shown names are held to it everywhere. */
export const HEADER_TEXT_LIMIT = 150;
/** Slack caps section (and context element) text at 3,000 characters. */
export const SECTION_TEXT_LIMIT = 3_000;
/** Slack caps a message at 50 blocks. */
export const MESSAGE_BLOCK_LIMIT = 50;
/** Run times listed in a proposal, so the asker can check the schedule means what they meant. */
export const PROPOSAL_RUNS_SHOWN = 3;
/** How much of a question a proposal quotes; with "> " on each line it still has to fit one section. */
const QUESTION_PREVIEW_CHARS = 2_500;
/** The notification fallback carries the name and the answer's first line, no more. */
const FALLBACK_PREVIEW_CHARS = 200;

export const plain = (text: string): types.PlainTextElement => ({ type: 'plain_text', text, emoji: true });
export const mrkdwn = (text: string): types.MrkdwnElement => ({ type: 'mrkdwn', text });
export const section = (text: string, accessory?: types.SectionBlockAccessory): types.SectionBlock => ({
  type: 'section',
  text: mrkdwn(truncate(text, SECTION_TEXT_LIMIT)),
  ...(accessory ? { accessory } : {}),
});
export const context = (text: string): types.ContextBlock => ({ type: 'context', elements: [mrkdwn(truncate(text, SECTION_TEXT_LIMIT))] });
export const button = (text: string, actionId: string, value: string, style?: 'primary' | 'danger'): types.Button => ({
  type: 'button',
  text: plain(text),
  action_id: actionId,
  value,
  ...(style ? { style } : {}),
});

/** At most `limit` characters, ending in "…" when cut; never halves a surrogate pair. */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit - 1).replace(/[\uD800-\uDBFF]$/, '')}…`;
}

/**
 * A name people typed, for mrkdwn: escaped, and bold only when it holds no
 * formatting characters, so a `*` in it can never pair with Pulse's own markup.
 */
export function formatName(name: string): string {
  const escaped = escapeSlackText(truncate(name.trim() || 'Untitled report', HEADER_TEXT_LIMIT));
  return /[*_~`]/.test(escaped) ? escaped : `*${escaped}*`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    } catch {
      // An unknown zone must not take the Home tab down; the schedule line still names the zone it meant.
      formatter = formatterFor('UTC');
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** "Mon 30 Nov 09:00" in the given time zone. */
export function formatRunTime(epochMs: number, timeZone: string): string {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(epochMs).map((part) => [part.type, part.value]));
  return `${parts.weekday} ${parts.day} ${parts.month} ${parts.hour}:${parts.minute}`;
}

/** "Every Monday at 09:00 (Europe/Paris)". */
export const describeSchedule = (schedule: ReportSchedule): string => `${schedule.description} (${schedule.timeZone})`;

/**
 * A metric report's fixed query in one line: metric, grouping, channels,
 * window, top N and chart. The query is workspace_metrics' arguments with a
 * rolling window of `days` (metricQuerySchema in reports/metric-report.ts).
 */
export function summarizeMetricQuery(query: Record<string, unknown>, chart: 'none' | 'bar' | 'line'): string {
  const list = (value: unknown) => escapeSlackText((Array.isArray(value) ? value : [value]).map(String).join(', '));
  const groupBy = Array.isArray(query.group_by) ? query.group_by : [];
  const channels = Array.isArray(query.channels) ? query.channels : [];
  const parts = [
    `\`${escapeSlackCode(String(query.metric ?? 'unknown metric'))}\``,
    groupBy.length ? `by ${list(groupBy)}` : 'one total',
    ...(channels.length ? [`in ${list(channels)}`] : []),
    typeof query.days === 'number' ? `over the last ${query.days} day${query.days === 1 ? '' : 's'}` : 'over the default window',
    ...(query.top !== undefined ? [`top ${list(query.top)}`] : []),
    chart === 'none' ? 'table only' : `${chart} chart`,
  ];
  return parts.join(' · ');
}

/** What a report runs, for mrkdwn: the question quoted, or the metric query in a line. */
export function describeWork(work: ReportWork): string {
  if (work.kind === 'metric') return summarizeMetricQuery(work.query, work.chart);
  return escapeSlackText(truncate(work.question.trim(), QUESTION_PREVIEW_CHARS))
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

const TRIGGER_NOTES: Record<RunTrigger, (ranAt: string) => string | undefined> = {
  schedule: () => undefined,
  manual: () => 'Re-run by request',
  catch_up: (ranAt) => `Ran late, ${ranAt}: Pulse was offline at the scheduled time`,
  retry: (ranAt) => `Retried ${ranAt} after a failed attempt`,
};

/** The delivered report: header, the answer in sections, who and when, and Re-run / Pause. */
export function buildReportMessage(input: {
  report: Report;
  /** The answer, already converted to mrkdwn. */
  text: string;
  ranAt: number;
  trigger: RunTrigger;
  nextRunAt: number | null;
  /** The zone run times are shown in: the report's. */
  timeZone: string;
}): { text: string; blocks: KnownBlock[] } {
  const { report, timeZone } = input;
  const note = TRIGGER_NOTES[input.trigger](formatRunTime(input.ranAt, timeZone));
  const footer = [
    `Scheduled report by <@${report.ownerId}>`,
    ...(note ? [note] : []),
    describeSchedule(report.schedule),
    input.nextRunAt === null ? 'paused: no next run' : `next run ${formatRunTime(input.nextRunAt, timeZone)}`,
  ].join(' · ');
  const trailer: KnownBlock[] = [
    context(footer),
    {
      type: 'actions',
      block_id: REPORT_IDS.block.reportActions,
      elements: [
        button('Re-run now', REPORT_IDS.action.rerun, report.id),
        // A paused report re-run by request has nothing to pause.
        ...(report.status === 'active' ? [button('Pause', REPORT_IDS.action.pause, report.id)] : []),
      ],
    },
  ];
  const chunks = splitMessage(input.text, SECTION_TEXT_LIMIT);
  const room = MESSAGE_BLOCK_LIMIT - 1 - trailer.length; // the header takes one
  const cut = chunks.length > room;
  const shown = cut ? chunks.slice(0, room - 1) : chunks; // the note saying so takes one more
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(truncate(report.name.trim() || 'Scheduled report', HEADER_TEXT_LIMIT)) },
    ...(shown.length ? shown.map((chunk) => section(chunk)) : [section('_The report ran but produced no text._')]),
    ...(cut ? [context(`:scissors: The answer was cut after ${shown.length} of ${chunks.length} parts: one Slack message holds at most ${MESSAGE_BLOCK_LIMIT} blocks.`)] : []),
    ...trailer,
  ];
  const firstLine = input.text.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
  const text = truncate(`${escapeSlackText(report.name)}${firstLine ? `: ${firstLine}` : ''}`, FALLBACK_PREVIEW_CHARS);
  return { text, blocks };
}

export type ProposalOutcome =
  | { kind: 'created'; nextRunAt: number; timeZone: string }
  | { kind: 'cancelled' }
  | { kind: 'expired' }
  | { kind: 'failed'; problem: string };

export interface ProposalDescription {
  /** mrkdwn, e.g. "<#C123>" or "your DM". */
  destination: string;
  /** The schedule in words, e.g. "Every Monday at 09:00 (Europe/Paris)". */
  schedule: string;
  /** Epoch ms of the next runs; the first PROPOSAL_RUNS_SHOWN are listed. */
  nextRuns: number[];
}

/** A destination in mrkdwn: the channel, or the people of the DM. */
export function describeDestinationPlainly(destination: ReportProposal['destination']): string {
  switch (destination.kind) {
    case 'channel':
      return `<#${destination.channelId}>`;
    case 'dm':
      return `a DM to <@${destination.userId}>`;
    case 'group_dm':
      return `a group DM with ${destination.userIds.map((id) => `<@${id}>`).join(', ')}`;
  }
}

function proposalBlocks(proposal: ReportProposal, describe: Partial<ProposalDescription>): KnownBlock[] {
  const zone = proposal.schedule.timeZone;
  const runs = describe.nextRuns?.slice(0, PROPOSAL_RUNS_SHOWN).map((run) => formatRunTime(run, zone));
  return [
    section('I can set up this scheduled report:'),
    {
      type: 'section',
      fields: [
        mrkdwn(`*Name*\n${escapeSlackText(truncate(proposal.name, HEADER_TEXT_LIMIT))}`),
        mrkdwn(`*Schedule*\n${describe.schedule ?? describeSchedule(proposal.schedule)}\n\`${escapeSlackCode(proposal.schedule.cron)}\``),
        mrkdwn(`*Destination*\n${describe.destination ?? describeDestinationPlainly(proposal.destination)}`),
        ...(runs ? [mrkdwn(`*Next runs*\n${runs.length ? runs.join('\n') : 'none'}`)] : []),
      ],
    },
    section(`*What it runs*\n${describeWork(proposal.work)}`),
  ];
}

/** What Pulse posts when its agent proposes a report: the details, then Confirm and Cancel. */
export function buildProposalMessage(proposal: ReportProposal, describe: ProposalDescription): { text: string; blocks: KnownBlock[] } {
  return {
    text: `Proposed scheduled report: ${escapeSlackText(proposal.name)}`,
    blocks: [
      ...proposalBlocks(proposal, describe),
      {
        type: 'actions',
        block_id: REPORT_IDS.block.proposalActions,
        elements: [
          button('Confirm', REPORT_IDS.action.confirmProposal, proposal.id, 'primary'),
          button('Cancel', REPORT_IDS.action.cancelProposal, proposal.id),
        ],
      },
      context(`Only <@${proposal.proposerId}> can confirm. This offer expires ${formatRunTime(proposal.expiresAt, proposal.schedule.timeZone)}.`),
    ],
  };
}

function describeOutcome(outcome: ProposalOutcome): string {
  switch (outcome.kind) {
    case 'created':
      return `:white_check_mark: Created. First run ${formatRunTime(outcome.nextRunAt, outcome.timeZone)}. Manage it in App Home → Reports.`;
    case 'cancelled':
      return ':no_entry_sign: Cancelled: no report was created.';
    case 'expired':
      return ':hourglass: This offer expired: no report was created. Ask me again to set it up.';
    case 'failed':
      return `:x: The report was not created: ${outcome.problem}`;
  }
}

/**
 * The proposal once it is settled: the same details, the buttons replaced by
 * what happened. Without `describe`, the destination is named from its ids and
 * the next runs are left out.
 */
export function buildProposalResolved(
  proposal: ReportProposal,
  outcome: ProposalOutcome,
  describe: Partial<ProposalDescription> = {},
): { text: string; blocks: KnownBlock[] } {
  const line = describeOutcome(outcome);
  return {
    text: `Scheduled report ${escapeSlackText(proposal.name)}: ${line}`,
    blocks: [...proposalBlocks(proposal, describe), context(line)],
  };
}

/** The one DM to a report's owner when a run fails: what, why, whether Pulse retries, where to manage it. */
export function buildFailureNotice(report: Report, problem: string, willRetryAt: number | null): string {
  const zone = report.schedule.timeZone;
  const next =
    willRetryAt !== null
      ? `Pulse will try again ${formatRunTime(willRetryAt, zone)}.`
      : report.status === 'paused' || report.nextRunAt === null
        ? 'Pulse will not retry, and the report is paused until you resume it.'
        : `Pulse will not retry this run; the next scheduled run is ${formatRunTime(report.nextRunAt, zone)}.`;
  return [
    `:warning: Your scheduled report ${formatName(report.name)} did not run.`,
    `*What went wrong:* ${problem}`,
    next,
    'Pause, edit or delete it in *App Home → Reports*.',
  ].join('\n');
}
