/**
 * The scheduled-report views: the delivered message, the proposal, the failure
 * DM, the Home tab section and the modals. Pure builders, tested on the blocks
 * they return.
 */
import type { ViewStateValue } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { MAX_REPORT_NAME, MAX_REPORT_QUESTION } from '../../src/reports/report-service.ts';
import type { Report, ReportProposal, ReportRunSummary } from '../../src/reports/report-types.ts';
import {
  buildFailureNotice,
  buildProposalMessage,
  buildProposalResolved,
  buildReportMessage,
  formatRunTime,
  HEADER_TEXT_LIMIT,
  MESSAGE_BLOCK_LIMIT,
  REPORT_IDS,
  SECTION_TEXT_LIMIT,
} from '../../src/slack/views/report-blocks.ts';
import { buildReportsHomeSection, HOME_REPORT_LIMIT, readManageChoice, type ReportsHomeInput } from '../../src/slack/views/report-home.ts';
import { buildDeleteReportModal, buildReportModal, readReportModal } from '../../src/slack/views/report-modals.ts';

// Block Kit limits (docs.slack.dev/reference/block-kit) that Slack enforces by rejecting the whole payload.
/** Modal title, submit and close: at most 24 characters. */
const MODAL_TITLE_LIMIT = 24;
/** Slack caps a Home tab at 100 blocks. */
const HOME_BLOCK_LIMIT = 100;

const ZONE = 'Europe/Paris';
/** Monday 30 November 2026, 09:00 in Paris (UTC+1 in winter). */
const MONDAY_9AM = Date.UTC(2026, 10, 30, 8, 0);
const HOUR = 60 * 60_000;
const WEEK = 7 * 24 * HOUR;
/** A name with every character that could break mrkdwn. */
const TRICKY_NAME = 'R&D <weekly> *digest';

// ---- small factories -------------------------------------------------------

function aReport(overrides: Partial<Report> = {}): Report {
  return {
    id: 'rep_1',
    teamId: 'T0ACME',
    ownerId: 'U0OWNER',
    name: 'Weekly activity',
    work: { kind: 'question', question: 'How active was #eng-help this week?' },
    destination: { kind: 'channel', channelId: 'C0LEADS' },
    schedule: { cron: '0 9 * * 1', timeZone: ZONE, description: 'Every Monday at 09:00' },
    status: 'active',
    nextRunAt: MONDAY_9AM,
    lastRun: null,
    createdAt: MONDAY_9AM - 4 * WEEK,
    updatedAt: MONDAY_9AM - 4 * WEEK,
    ...overrides,
  };
}

const aMetricReport = (overrides: Partial<Report> = {}) =>
  aReport({ work: { kind: 'metric', query: { metric: 'messages', group_by: ['channel'], days: 7, top: 5, sort: 'desc' }, chart: 'bar' }, ...overrides });

function aRun(overrides: Partial<ReportRunSummary> = {}): ReportRunSummary {
  return { finishedAt: MONDAY_9AM - WEEK, ok: true, error: null, channelId: 'C0LEADS', messageTs: '1.000001', ...overrides };
}

function aProposal(overrides: Partial<ReportProposal> = {}): ReportProposal {
  const { teamId, name, work, destination, schedule } = aReport();
  return { id: 'prop_1', teamId, proposerId: 'U0ASKER', name, work, destination, schedule, createdAt: MONDAY_9AM - WEEK, expiresAt: MONDAY_9AM - WEEK + 24 * HOUR, ...overrides };
}

const DESCRIBE = { destination: '<#C0LEADS>', schedule: 'Every Monday at 09:00 (Europe/Paris)', nextRuns: [0, 1, 2, 3, 4].map((n) => MONDAY_9AM + n * WEEK) };

function aHome(overrides: Partial<ReportsHomeInput> = {}): ReportsHomeInput {
  return {
    reports: [aReport()],
    viewerId: 'U0OWNER',
    viewerIsAdmin: false,
    timeZone: ZONE,
    now: MONDAY_9AM - HOUR,
    describeDestination: (destination) => (destination.kind === 'channel' ? `<#${destination.channelId}>` : 'a DM'),
    ...overrides,
  };
}

// ---- reading blocks --------------------------------------------------------

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);
/** A block or element as a plain record, for reading fields the union types do not share. */
const asNode = (value: unknown): Node => (isNode(value) ? value : {});
const ofType = (blocks: unknown[], type: string) => blocks.filter((block): block is Node => isNode(block) && block.type === type);

/** Every text object anywhere in a value. */
function textObjects(value: unknown): { type: string; text: string }[] {
  if (Array.isArray(value)) return value.flatMap(textObjects);
  if (!isNode(value)) return [];
  const own = typeof value.text === 'string' && typeof value.type === 'string' ? [{ type: value.type, text: value.text }] : [];
  return [...own, ...Object.values(value).flatMap(textObjects)];
}

const sectionTexts = (blocks: unknown[]) => ofType(blocks, 'section').flatMap((block) => (isNode(block.text) ? [String(block.text.text)] : []));
const fieldTexts = (blocks: unknown[]) => ofType(blocks, 'section').flatMap((block) => ((block.fields as Node[] | undefined) ?? []).map((field) => String(field.text)));
const contextTexts = (blocks: unknown[]) => ofType(blocks, 'context').map((block) => String((block.elements as Node[])[0]?.text));
const buttons = (blocks: unknown[]) =>
  ofType(blocks, 'actions')
    .flatMap((block) => block.elements as Node[])
    .map((button) => ({ text: String((button.text as Node).text), actionId: button.action_id, value: button.value, style: button.style }));
const overflows = (blocks: unknown[]) =>
  ofType(blocks, 'section')
    .map((block) => block.accessory)
    .filter((accessory): accessory is Node => isNode(accessory) && accessory.type === 'overflow');
const optionValues = (overflow: Node) => (overflow.options as Node[]).map((option) => String(option.value));
const inputs = (blocks: unknown[]) => ofType(blocks, 'input') as { block_id: string; optional?: boolean; hint?: { text: string }; element: Node & { action_id: string } }[];

// ---- the delivered report ---------------------------------------------------

describe('buildReportMessage', () => {
  const message = (overrides: Partial<Parameters<typeof buildReportMessage>[0]> = {}) =>
    buildReportMessage({ report: aReport(), text: 'Busy week: *412* messages.', ranAt: MONDAY_9AM - WEEK, trigger: 'schedule', nextRunAt: MONDAY_9AM, timeZone: ZONE, ...overrides });

  it('heads the message with the report name as plain text, cut to the header limit', () => {
    const long = asNode(message({ report: aReport({ name: 'x'.repeat(400) }) }).blocks[0]);
    expect(long.type).toBe('header');
    expect((long.text as Node).type).toBe('plain_text');
    expect(String((long.text as Node).text)).toHaveLength(HEADER_TEXT_LIMIT);
    expect(String((long.text as Node).text).endsWith('…')).toBe(true);
    expect(asNode(asNode(message({ report: aReport({ name: TRICKY_NAME }) }).blocks[0]).text).text).toBe(TRICKY_NAME);
  });

  it('says who owns it, its schedule in the report’s zone and the next run', () => {
    expect(contextTexts(message().blocks)).toEqual(['Scheduled report by <@U0OWNER> · Every Monday at 09:00 (Europe/Paris) · next run Mon 30 Nov 09:00']);
  });

  it('notes a run by request, and a paused report’s missing next run', () => {
    const [line] = contextTexts(message({ trigger: 'manual', nextRunAt: null }).blocks);
    expect(line).toContain('Re-run by request');
    expect(line).toContain('paused: no next run');
  });

  it('offers Re-run now and Pause, both carrying the report id', () => {
    expect(buttons(message().blocks)).toEqual([
      { text: 'Re-run now', actionId: REPORT_IDS.action.rerun, value: 'rep_1', style: undefined },
      { text: 'Pause', actionId: REPORT_IDS.action.pause, value: 'rep_1', style: undefined },
    ]);
  });

  it('offers no Pause on a paused report that was re-run', () => {
    expect(buttons(message({ report: aReport({ status: 'paused', nextRunAt: null }), trigger: 'manual' }).blocks).map((b) => b.actionId)).toEqual([REPORT_IDS.action.rerun]);
  });

  it('splits a long answer into sections of at most 3,000 characters at paragraph boundaries', () => {
    const paragraphs = Array.from({ length: 9 }, (_, index) => `Paragraph ${index} ${'word '.repeat(190)}`.trim());
    const sections = sectionTexts(message({ text: paragraphs.join('\n\n') }).blocks);
    expect(sections.length).toBeGreaterThan(1);
    for (const text of sections) {
      expect(text.length).toBeLessThanOrEqual(SECTION_TEXT_LIMIT);
      expect(text.split('\n\n').every((part) => paragraphs.includes(part))).toBe(true);
    }
    expect(sections.join('\n\n')).toBe(paragraphs.join('\n\n'));
  });

  it(`keeps within ${MESSAGE_BLOCK_LIMIT} blocks, says the answer was cut and keeps the footer and buttons`, () => {
    const huge = Array.from({ length: 80 }, (_, index) => `Part ${index} ${'x'.repeat(2_900)}`).join('\n\n');
    const { blocks } = message({ text: huge });
    expect(blocks).toHaveLength(MESSAGE_BLOCK_LIMIT);
    expect(contextTexts(blocks)[0]).toContain('The answer was cut');
    expect(blocks.at(-1)?.type).toBe('actions');
    expect(contextTexts(blocks).at(-1)).toContain('Scheduled report by');
  });

  it('says so when the answer is empty, since a section needs text', () => {
    expect(sectionTexts(message({ text: '  \n' }).blocks)).toEqual(['_The report ran but produced no text._']);
  });

  it('falls back to the escaped name and the first line of the answer for notifications', () => {
    expect(message({ report: aReport({ name: TRICKY_NAME }), text: '\nFirst line\nSecond' }).text).toBe('R&amp;D &lt;weekly&gt; *digest: First line');
  });
});

describe('formatRunTime', () => {
  it('shows a time in the given zone, en-GB style', () => {
    expect(formatRunTime(MONDAY_9AM, 'America/New_York')).toBe('Mon 30 Nov 03:00');
  });

  it('falls back to UTC for a zone it does not know rather than failing the view', () => {
    expect(formatRunTime(MONDAY_9AM, 'Mars/Olympus')).toBe('Mon 30 Nov 08:00');
  });
});

// ---- the proposal -----------------------------------------------------------

describe('buildProposalMessage', () => {
  it('lists name, schedule with its cron in code, destination and the next three runs', () => {
    const { blocks } = buildProposalMessage(aProposal(), DESCRIBE);
    expect(sectionTexts(blocks)[0]).toBe('I can set up this scheduled report:');
    expect(fieldTexts(blocks)).toEqual([
      '*Name*\nWeekly activity',
      '*Schedule*\nEvery Monday at 09:00 (Europe/Paris)\n`0 9 * * 1`',
      '*Destination*\n<#C0LEADS>',
      '*Next runs*\nMon 30 Nov 09:00\nMon 7 Dec 09:00\nMon 14 Dec 09:00',
    ]);
  });

  it('quotes the question, escaped', () => {
    const { blocks } = buildProposalMessage(aProposal({ work: { kind: 'question', question: 'Who answered <most> & why?\nList them.' } }), DESCRIBE);
    expect(sectionTexts(blocks)).toContain('*What it runs*\n> Who answered &lt;most&gt; &amp; why?\n> List them.');
  });

  it('summarises a metric query: metric, grouping, window, top N and chart', () => {
    const { work } = aMetricReport();
    const { blocks } = buildProposalMessage(aProposal({ work }), DESCRIBE);
    expect(sectionTexts(blocks)).toContain('*What it runs*\n`messages` · by channel · over the last 7 days · top 5 · bar chart');
  });

  it('offers Confirm (primary) and Cancel, both carrying the proposal id', () => {
    expect(buttons(buildProposalMessage(aProposal(), DESCRIBE).blocks)).toEqual([
      { text: 'Confirm', actionId: REPORT_IDS.action.confirmProposal, value: 'prop_1', style: 'primary' },
      { text: 'Cancel', actionId: REPORT_IDS.action.cancelProposal, value: 'prop_1', style: undefined },
    ]);
  });

  it('escapes a tricky name so it cannot break the markup', () => {
    const { blocks, text } = buildProposalMessage(aProposal({ name: TRICKY_NAME }), DESCRIBE);
    expect(fieldTexts(blocks)[0]).toBe('*Name*\nR&amp;D &lt;weekly&gt; *digest');
    expect(text).toBe('Proposed scheduled report: R&amp;D &lt;weekly&gt; *digest');
  });

  it('keeps a very long question within one section', () => {
    const { blocks } = buildProposalMessage(aProposal({ work: { kind: 'question', question: 'why?\n'.repeat(2_000) } }), DESCRIBE);
    expect(textObjects(blocks).every((object) => object.text.length <= SECTION_TEXT_LIMIT)).toBe(true);
  });
});

describe('buildProposalResolved', () => {
  it.each([
    [{ kind: 'created', nextRunAt: MONDAY_9AM, timeZone: ZONE } as const, 'Created. First run Mon 30 Nov 09:00'],
    [{ kind: 'cancelled' } as const, 'Cancelled'],
    [{ kind: 'expired' } as const, 'expired'],
    [{ kind: 'failed', problem: 'Pulse is not a member of <#C0LEADS>.' } as const, 'not created: Pulse is not a member of <#C0LEADS>.'],
  ])('replaces the buttons with what happened (%o)', (outcome, expected) => {
    const { blocks } = buildProposalResolved(aProposal(), outcome, DESCRIBE);
    expect(buttons(blocks)).toEqual([]);
    expect(contextTexts(blocks).at(-1)).toContain(expected);
  });

  it('names the destination from its ids when not told how to describe it', () => {
    expect(fieldTexts(buildProposalResolved(aProposal(), { kind: 'cancelled' }).blocks)).toContain('*Destination*\n<#C0LEADS>');
  });
});

// ---- the failure DM ---------------------------------------------------------

describe('buildFailureNotice', () => {
  it('says what went wrong, when Pulse retries and where to manage the report', () => {
    const notice = buildFailureNotice(aReport(), 'The model provider is down.', MONDAY_9AM - 8 * 24 * HOUR + 15 * 60_000);
    expect(notice).toContain('*Weekly activity* did not run');
    expect(notice).toContain('*What went wrong:* The model provider is down.');
    expect(notice).toContain('Pulse will try again Sun 22 Nov 09:15.');
    expect(notice).toContain('App Home → Reports');
  });

  it('gives the next scheduled run when Pulse will not retry, or says the report is paused', () => {
    expect(buildFailureNotice(aReport(), 'Gone.', null)).toContain('the next scheduled run is Mon 30 Nov 09:00');
    expect(buildFailureNotice(aReport({ status: 'paused', nextRunAt: null }), 'Gone.', null)).toContain('paused until you resume it');
  });

  it('escapes the name and does not bold one whose asterisk would pair with Pulse’s markup', () => {
    expect(buildFailureNotice(aReport({ name: TRICKY_NAME }), 'Gone.', null)).toContain('report R&amp;D &lt;weekly&gt; *digest did not run');
  });
});

// ---- the Home tab section ---------------------------------------------------

describe('buildReportsHomeSection', () => {
  it('starts with a header and a New report button', () => {
    const blocks = buildReportsHomeSection(aHome());
    expect(blocks[0]).toMatchObject({ type: 'header', text: { text: 'Scheduled reports' } });
    expect(asNode(asNode(blocks[1]).accessory).action_id).toBe(REPORT_IDS.action.create);
  });

  it('explains how to make a report when there is none', () => {
    const blocks = buildReportsHomeSection(aHome({ reports: [] }));
    expect(blocks).toHaveLength(3);
    expect(contextTexts(blocks)[0]).toContain('Ask me in a DM: “post weekly messages per channel to #eng-leads every Monday at 9:00”');
  });

  it('shows a report’s name, status, schedule, destination, owner, next run and last result', () => {
    const [text] = sectionTexts(buildReportsHomeSection(aHome({ reports: [aReport({ lastRun: aRun() })] }))).slice(1);
    expect(text).toBe(
      [
        '*Weekly activity*',
        ':large_green_circle: Active · Every Monday at 09:00 (Europe/Paris) · to <#C0LEADS> · by you',
        'Next run: Mon 30 Nov 09:00 · Last run: ✅ Mon 23 Nov 09:00',
      ].join('\n'),
    );
  });

  it('shows a paused report without a next run, and a failed last run with its error', () => {
    const report = aReport({ status: 'paused', nextRunAt: null, lastRun: aRun({ ok: false, error: 'Pulse was removed from <#C0LEADS>.' }) });
    const [text] = sectionTexts(buildReportsHomeSection(aHome({ reports: [report] }))).slice(1);
    expect(text).toContain(':double_vertical_bar: Paused');
    expect(text).toContain('Next run: — · Last run: ❌ Mon 23 Nov 09:00: Pulse was removed from <#C0LEADS>.');
  });

  it('offers Pause for an active report and Resume for a paused one, with `<verb>:<id>` values', () => {
    const blocks = buildReportsHomeSection(aHome({ reports: [aReport({ id: 'a' }), aReport({ id: 'p', status: 'paused', nextRunAt: null })] }));
    const [active, paused] = overflows(blocks);
    expect(active?.action_id).toBe(REPORT_IDS.action.manage);
    expect(optionValues(active as Node)).toEqual(['run:a', 'edit:a', 'pause:a', 'delete:a']);
    expect(optionValues(paused as Node)).toEqual(['run:p', 'edit:p', 'resume:p', 'delete:p']);
  });

  it('shows admins every report, owners their own and other people none', () => {
    const reports = [aReport({ id: 'mine' }), aReport({ id: 'theirs', ownerId: 'U0OTHER' })];
    const ids = (input: Partial<ReportsHomeInput>) => overflows(buildReportsHomeSection(aHome({ reports, ...input }))).map((menu) => optionValues(menu)[0]);
    expect(ids({ viewerIsAdmin: true, viewerId: 'U0ADMIN' })).toEqual(['run:mine', 'run:theirs']);
    expect(ids({ viewerId: 'U0OWNER' })).toEqual(['run:mine']);
    expect(ids({ viewerId: 'U0STRANGER' })).toEqual([]);
    expect(sectionTexts(buildReportsHomeSection(aHome({ reports, viewerIsAdmin: true, viewerId: 'U0ADMIN' })))[2]).toContain('by <@U0OTHER>');
  });

  it(`lists at most ${HOME_REPORT_LIMIT} reports and counts the rest, well within the Home tab’s block budget`, () => {
    const reports = Array.from({ length: 35 }, (_, index) => aReport({ id: `r${index}`, name: `Report ${index}`, lastRun: aRun({ ok: false, error: 'e'.repeat(5_000) }) }));
    const blocks = buildReportsHomeSection(aHome({ reports }));
    expect(overflows(blocks)).toHaveLength(HOME_REPORT_LIMIT);
    expect(contextTexts(blocks).at(-1)).toContain('and 15 more reports');
    expect(blocks.length).toBeLessThan(HOME_BLOCK_LIMIT / 2);
    expect(textObjects(blocks).every((object) => object.text.length <= SECTION_TEXT_LIMIT)).toBe(true);
  });

  it('escapes a tricky name and leaves it unbolded so its asterisk pairs with nothing', () => {
    const [text] = sectionTexts(buildReportsHomeSection(aHome({ reports: [aReport({ name: TRICKY_NAME })] }))).slice(1);
    expect(text?.split('\n')[0]).toBe('R&amp;D &lt;weekly&gt; *digest');
  });
});

describe('readManageChoice', () => {
  it('reads the verb and report id back from a menu value', () => {
    expect(readManageChoice('pause:rep_1')).toEqual({ verb: 'pause', reportId: 'rep_1' });
    expect(readManageChoice('delete:a:b')).toEqual({ verb: 'delete', reportId: 'a:b' });
  });

  it('rejects values it did not make', () => {
    for (const value of [undefined, '', 'pause', 'pause:', 'explode:rep_1']) expect(readManageChoice(value)).toBeUndefined();
  });
});

// ---- the modals -------------------------------------------------------------

describe('buildReportModal', () => {
  it('creates with empty name, question, schedule and destination inputs under the report ids', () => {
    const modal = buildReportModal({ mode: 'create', timeZone: ZONE });
    expect(modal).toMatchObject({ type: 'modal', callback_id: REPORT_IDS.view.edit, private_metadata: '', title: { text: 'New report' }, submit: { text: 'Create' } });
    expect(inputs(modal.blocks).map((input) => [input.block_id, input.element.action_id, input.element.type])).toEqual([
      [REPORT_IDS.block.name, REPORT_IDS.action.nameInput, 'plain_text_input'],
      [REPORT_IDS.block.question, REPORT_IDS.action.questionInput, 'plain_text_input'],
      [REPORT_IDS.block.schedule, REPORT_IDS.action.scheduleInput, 'plain_text_input'],
      [REPORT_IDS.block.destination, REPORT_IDS.action.destinationSelect, 'conversations_select'],
    ]);
    const [name, question, schedule, destination] = inputs(modal.blocks);
    expect(name?.element).toMatchObject({ max_length: MAX_REPORT_NAME });
    expect(name?.element.initial_value).toBeUndefined();
    expect(question?.element).toMatchObject({ multiline: true, max_length: MAX_REPORT_QUESTION, placeholder: { text: 'What should Pulse answer each time?' } });
    expect(schedule?.element).toMatchObject({ placeholder: { text: 'every Monday at 9:00' } });
    expect(schedule?.hint?.text).toContain(`Times are in ${ZONE}.`);
    expect(destination?.element).toEqual({
      type: 'conversations_select',
      action_id: REPORT_IDS.action.destinationSelect,
      placeholder: { type: 'plain_text', text: 'Choose a channel or DM', emoji: true },
      default_to_current_conversation: false,
      filter: { include: ['public', 'private', 'im', 'mpim'], exclude_bot_users: true },
    });
    expect(destination?.optional).toBe(false);
  });

  it('edits a question report with its values filled in and its id in private_metadata', () => {
    const modal = buildReportModal({ mode: 'edit', report: aReport(), timeZone: ZONE });
    expect(modal).toMatchObject({ private_metadata: 'rep_1', title: { text: 'Edit report' }, submit: { text: 'Save' } });
    expect(inputs(modal.blocks).map((input) => input.element.initial_value ?? input.element.initial_conversation)).toEqual([
      'Weekly activity',
      'How active was #eng-help this week?',
      'Every Monday at 09:00',
      'C0LEADS',
    ]);
  });

  it('shows a metric report’s fixed query instead of a question input', () => {
    const modal = buildReportModal({ mode: 'edit', report: aMetricReport(), timeZone: ZONE });
    expect(inputs(modal.blocks).map((input) => input.block_id)).not.toContain(REPORT_IDS.block.question);
    expect(contextTexts(modal.blocks)[0]).toContain('`messages` · by channel · over the last 7 days');
  });

  it('lets a DM report keep its destination when the menu is left empty', () => {
    const modal = buildReportModal({ mode: 'edit', report: aReport({ destination: { kind: 'dm', userId: 'U0OWNER' } }), timeZone: ZONE });
    const destination = inputs(modal.blocks).at(-1);
    expect(destination?.optional).toBe(true);
    expect(destination?.element.initial_conversation).toBeUndefined();
    expect(destination?.hint?.text).toContain('Leave empty to keep it');
  });

  it('shows each problem right under its field', () => {
    const modal = buildReportModal({ mode: 'create', timeZone: ZONE, problems: { schedule: 'Say which day of the week.' } });
    const index = modal.blocks.findIndex((block) => block.block_id === REPORT_IDS.block.schedule);
    expect(modal.blocks[index + 1]).toMatchObject({ type: 'context', elements: [{ text: ':warning: Say which day of the week.' }] });
  });

  it('keeps titles and buttons within Slack’s 24 characters', () => {
    for (const modal of [buildReportModal({ mode: 'create', timeZone: ZONE }), buildReportModal({ mode: 'edit', report: aReport(), timeZone: ZONE }), buildDeleteReportModal(aReport())]) {
      for (const text of [modal.title, modal.submit, modal.close]) expect(text?.text.length ?? 0).toBeLessThanOrEqual(MODAL_TITLE_LIMIT);
    }
  });
});

describe('buildDeleteReportModal', () => {
  it('names what is deleted, says posted messages stay, and carries the report id', () => {
    const modal = buildDeleteReportModal(aReport({ name: TRICKY_NAME }));
    expect(modal).toMatchObject({ callback_id: REPORT_IDS.view.delete, private_metadata: 'rep_1', submit: { text: 'Delete' } });
    const [text] = sectionTexts(modal.blocks);
    expect(text).toContain('Delete the scheduled report R&amp;D &lt;weekly&gt; *digest?');
    expect(text).toContain('Nothing it already posted is removed.');
  });
});

describe('readReportModal', () => {
  const value = (text: string): ViewStateValue => ({ type: 'plain_text_input', value: text });

  it('reads every field back, trimmed', () => {
    expect(
      readReportModal({
        [REPORT_IDS.block.name]: { [REPORT_IDS.action.nameInput]: value(' Weekly ') },
        [REPORT_IDS.block.question]: { [REPORT_IDS.action.questionInput]: value('How busy?\n') },
        [REPORT_IDS.block.schedule]: { [REPORT_IDS.action.scheduleInput]: value('every Monday at 9:00') },
        [REPORT_IDS.block.destination]: { [REPORT_IDS.action.destinationSelect]: { type: 'conversations_select', selected_conversation: 'C0LEADS' } },
      }),
    ).toEqual({ name: 'Weekly', question: 'How busy?', scheduleText: 'every Monday at 9:00', destinationConversationId: 'C0LEADS' });
  });

  it('gives undefined for missing blocks, blank inputs and an empty menu', () => {
    expect(
      readReportModal({
        [REPORT_IDS.block.name]: { [REPORT_IDS.action.nameInput]: value('  ') },
        [REPORT_IDS.block.destination]: { [REPORT_IDS.action.destinationSelect]: { type: 'conversations_select', selected_conversation: null } },
      }),
    ).toEqual({ name: undefined, question: undefined, scheduleText: undefined, destinationConversationId: undefined });
    expect(readReportModal(undefined).name).toBeUndefined();
  });
});
