/** The "Scheduled reports" part of the Home tab (pure builder): the reports the viewer may manage, each with its menu. */
import type { types } from '@slack/bolt';
import type { Report, ReportDestination } from '../../reports/report-types.ts';
import { button, context, describeSchedule, formatName, formatRunTime, plain, REPORT_IDS, section, truncate } from './report-blocks.ts';

/** Reports listed one section each; Slack caps a Home tab at 100 blocks, shared with the rest of the page. */
export const HOME_REPORT_LIMIT = 20;
/** A last error is a sentence or two; a longer one is cut so a report's section stays well within 3,000 characters. */
const LAST_ERROR_CHARS = 300;

/** What the report menu can do; its option values are `<verb>:<report id>`. */
export type ReportManageVerb = 'pause' | 'resume' | 'run' | 'edit' | 'delete';
const MANAGE_VERBS: readonly ReportManageVerb[] = ['pause', 'resume', 'run', 'edit', 'delete'];

export interface ReportsHomeInput {
  reports: Report[];
  viewerId: string;
  viewerIsAdmin: boolean;
  /** The zone run times are shown in. */
  timeZone: string;
  now: number;
  /** mrkdwn for where a report posts, e.g. "<#C123>" or "your DM". */
  describeDestination: (destination: ReportDestination) => string;
}

const EXAMPLE = 'Ask me in a DM: “post weekly messages per channel to #eng-leads every Monday at 9:00”, or use *New report*.';

/** Reads an overflow choice back: `pause:<id>` → { verb: 'pause', reportId }. Undefined for anything else. */
export function readManageChoice(value: string | undefined): { verb: ReportManageVerb; reportId: string } | undefined {
  const separator = value?.indexOf(':') ?? -1;
  if (!value || separator < 0) return undefined;
  const verb = value.slice(0, separator) as ReportManageVerb;
  const reportId = value.slice(separator + 1);
  return MANAGE_VERBS.includes(verb) && reportId !== '' ? { verb, reportId } : undefined;
}

function manageMenu(report: Report): types.Overflow {
  const option = (text: string, verb: ReportManageVerb) => ({ text: plain(text), value: `${verb}:${report.id}` });
  return {
    type: 'overflow',
    action_id: REPORT_IDS.action.manage,
    options: [
      option('Run now', 'run'),
      option('Edit', 'edit'),
      report.status === 'active' ? option('Pause', 'pause') : option('Resume', 'resume'),
      option('Delete', 'delete'),
    ],
  };
}

function describeLastRun(report: Report, timeZone: string): string {
  const last = report.lastRun;
  if (!last) return 'not run yet';
  const when = formatRunTime(last.finishedAt, timeZone);
  return last.ok ? `✅ ${when}` : `❌ ${when}: ${truncate(last.error ?? 'it failed', LAST_ERROR_CHARS)}`;
}

function reportSection(report: Report, input: ReportsHomeInput): types.SectionBlock {
  const owner = report.ownerId === input.viewerId ? 'you' : `<@${report.ownerId}>`;
  const status = report.status === 'active' ? ':large_green_circle: Active' : ':double_vertical_bar: Paused';
  const next =
    report.status !== 'active' || report.nextRunAt === null
      ? '—'
      : report.nextRunAt <= input.now
        ? 'due now'
        : formatRunTime(report.nextRunAt, input.timeZone);
  const lines = [
    formatName(report.name),
    `${status} · ${describeSchedule(report.schedule)} · to ${input.describeDestination(report.destination)} · by ${owner}`,
    `Next run: ${next} · Last run: ${describeLastRun(report, input.timeZone)}`,
  ];
  return section(lines.join('\n'), manageMenu(report));
}

/** Whether this viewer may pause, edit, run or delete the report: its owner and admins. */
export const mayManageReport = (report: Report, viewerId: string, viewerIsAdmin: boolean): boolean =>
  viewerIsAdmin || report.ownerId === viewerId;

/**
 * The Home tab's reports: admins see every report, others their own. Reports
 * are listed in the order given, up to HOME_REPORT_LIMIT.
 */
export function buildReportsHomeSection(input: ReportsHomeInput): types.KnownBlock[] {
  const reports = input.reports.filter((report) => mayManageReport(report, input.viewerId, input.viewerIsAdmin));
  const intro = input.viewerIsAdmin
    ? 'Reports Pulse runs on a schedule and posts for this workspace. As an admin you see everyone’s.'
    : 'Reports Pulse runs on a schedule and posts for you.';
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: plain('Scheduled reports') },
    section(intro, button('New report', REPORT_IDS.action.create, 'new', 'primary')),
  ];
  if (reports.length === 0) {
    blocks.push(context(`${input.viewerIsAdmin ? 'No reports yet.' : 'You have no reports yet.'} ${EXAMPLE}`));
    return blocks;
  }
  blocks.push(...reports.slice(0, HOME_REPORT_LIMIT).map((report) => reportSection(report, input)));
  const rest = reports.length - HOME_REPORT_LIMIT;
  if (rest > 0) blocks.push(context(`…and ${rest} more report${rest === 1 ? '' : 's'}, not listed here to keep this page within Slack’s limits.`));
  return blocks;
}
