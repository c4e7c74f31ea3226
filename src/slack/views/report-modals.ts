/** The report modals: create or edit a report, confirm a deletion, and read the form back (pure builders). */
import type { types, ViewStateValue } from '@slack/bolt';
import { MAX_REPORT_NAME, MAX_REPORT_QUESTION } from '../../reports/report-service.ts';
import type { Report } from '../../reports/report-types.ts';
import { SCHEDULE_EXAMPLES } from '../../reports/schedule-words.ts';
import { context, describeSchedule, formatName, plain, REPORT_IDS, section, summarizeMetricQuery } from './report-blocks.ts';

export type ReportFormField = 'name' | 'question' | 'schedule' | 'destination';

export interface ReportModalInput {
  mode: 'create' | 'edit';
  /** The report being edited; in create mode, values to start from (none for a blank form). */
  report?: Report | undefined;
  /** The workspace's zone, which schedules are read in. */
  timeZone: string;
  /** What was wrong with the last submission, shown under each field. */
  problems?: Partial<Record<ReportFormField, string>> | undefined;
}

/** The form's values as submitted: trimmed, undefined when missing or blank. */
export interface ReportModalValues {
  name: string | undefined;
  question: string | undefined;
  scheduleText: string | undefined;
  destinationConversationId: string | undefined;
}

function textInput(
  field: 'name' | 'question' | 'schedule',
  label: string,
  element: Omit<types.PlainTextInput, 'type' | 'action_id'>,
  hint?: string,
): types.InputBlock {
  const actionId = { name: REPORT_IDS.action.nameInput, question: REPORT_IDS.action.questionInput, schedule: REPORT_IDS.action.scheduleInput }[field];
  return {
    type: 'input',
    block_id: REPORT_IDS.block[field],
    label: plain(label),
    ...(hint ? { hint: plain(hint) } : {}),
    element: { type: 'plain_text_input', action_id: actionId, ...element },
  };
}

function destinationInput(mode: ReportModalInput['mode'], report: Report | undefined): types.InputBlock {
  const destination = report?.destination;
  // A DM destination holds user ids, not the conversation id the menu wants; left empty, the edited report keeps it.
  const keepsCurrent = mode === 'edit' && destination !== undefined && destination.kind !== 'channel';
  return {
    type: 'input',
    block_id: REPORT_IDS.block.destination,
    label: plain('Post it in'),
    optional: keepsCurrent,
    hint: plain(
      keepsCurrent
        ? `Now: ${destination.kind === 'dm' ? 'a DM' : 'a group DM'}. Leave empty to keep it. Pulse must be a member of a channel you pick.`
        : 'A channel (Pulse must be a member) or a DM.',
    ),
    element: {
      type: 'conversations_select',
      action_id: REPORT_IDS.action.destinationSelect,
      placeholder: plain('Choose a channel or DM'),
      default_to_current_conversation: false,
      filter: { include: ['public', 'private', 'im', 'mpim'], exclude_bot_users: true },
      ...(destination?.kind === 'channel' ? { initial_conversation: destination.channelId } : {}),
    },
  };
}

/** Create or edit a report. A metric report's fixed query is shown, not offered for editing. */
export function buildReportModal(input: ReportModalInput): types.ModalView {
  const { report, problems = {} } = input;
  const work = report?.work;
  const problem = (field: ReportFormField) => (problems[field] ? [context(`:warning: ${problems[field]}`)] : []);
  const question =
    input.mode === 'edit' && work?.kind === 'metric'
      ? context(`*What it runs:* ${summarizeMetricQuery(work.query, work.chart)}. This fixed query can’t be changed here: ask me in a DM for a report with a different one.`)
      : textInput(
          'question',
          'Question',
          {
            multiline: true,
            max_length: MAX_REPORT_QUESTION,
            placeholder: plain('What should Pulse answer each time?'),
            ...(work?.kind === 'question' ? { initial_value: work.question } : {}),
          },
          'Pulse answers it as you, with what you can see at the time it runs.',
        );
  return {
    type: 'modal',
    callback_id: REPORT_IDS.view.edit,
    private_metadata: input.mode === 'edit' && report ? report.id : '',
    title: plain(input.mode === 'edit' ? 'Edit report' : 'New report'),
    submit: plain(input.mode === 'edit' ? 'Save' : 'Create'),
    close: plain('Cancel'),
    blocks: [
      textInput('name', 'Name', {
        max_length: MAX_REPORT_NAME,
        placeholder: plain('Weekly engineering activity'),
        ...(report ? { initial_value: report.name } : {}),
      }),
      ...problem('name'),
      question,
      ...problem('question'),
      textInput(
        'schedule',
        'Schedule',
        { placeholder: plain('every Monday at 9:00'), ...(report ? { initial_value: report.schedule.description } : {}) },
        `Times are in ${input.timeZone}. ${SCHEDULE_EXAMPLES}`,
      ),
      ...problem('schedule'),
      destinationInput(input.mode, report),
      ...problem('destination'),
    ],
  };
}

/** Confirms deleting a report; what it already posted stays. */
export function buildDeleteReportModal(report: Report): types.ModalView {
  return {
    type: 'modal',
    callback_id: REPORT_IDS.view.delete,
    private_metadata: report.id,
    title: plain('Delete report'),
    submit: plain('Delete'),
    close: plain('Cancel'),
    blocks: [
      section(
        [
          `Delete the scheduled report ${formatName(report.name)}?`,
          `*Schedule:* ${describeSchedule(report.schedule)} · *Owner:* <@${report.ownerId}>`,
          'Once deleted it never runs again, and its schedule and run history are gone. Nothing it already posted is removed.',
        ].join('\n'),
      ),
    ],
  };
}

type StateValues = Record<string, Record<string, ViewStateValue>>;

/** The report form's values from view.state.values; tolerant of blocks that are missing (a metric report has no question). */
export function readReportModal(values: StateValues | undefined): ReportModalValues {
  const read = (block: string, action: string, key: 'value' | 'selected_conversation') => {
    const text = values?.[block]?.[action]?.[key]?.trim();
    return text ? text : undefined;
  };
  return {
    name: read(REPORT_IDS.block.name, REPORT_IDS.action.nameInput, 'value'),
    question: read(REPORT_IDS.block.question, REPORT_IDS.action.questionInput, 'value'),
    scheduleText: read(REPORT_IDS.block.schedule, REPORT_IDS.action.scheduleInput, 'value'),
    destinationConversationId: read(REPORT_IDS.block.destination, REPORT_IDS.action.destinationSelect, 'selected_conversation'),
  };
}
