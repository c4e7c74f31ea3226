/** The analytics part of the admin Home tab, and the analytics modals (pure builders). */
import type { AnalyticsSettings } from '../../analytics/analytics-settings.ts';
import { MAX_LOOKBACK_DAYS, MAX_PATTERN_LENGTH, MAX_RETENTION_DAYS } from '../../analytics/analytics-settings.ts';
import type { SyncProgress, SyncSummary } from '../../analytics/analytics-sync.ts';
import type { AnalyticsChannel } from '../../db/analytics-channel-store.ts';
import { ACTION_ID, BLOCK_ID, VIEW_ID } from '../ids.ts';

/**
 * Ids of the metrics export (button, modal and its inputs). Kept beside the view that uses them: none is
 * declared in manifest.json (only shortcuts are), and ids.ts belongs to the shared App Home.
 */
export const METRICS_EXPORT_IDS = {
  view: 'metrics_export_modal',
  action: {
    open: 'metrics_export_open',
    fromInput: 'metrics_export_from_input',
    toInput: 'metrics_export_to_input',
  },
  block: {
    from: 'metrics_export_from',
    to: 'metrics_export_to',
  },
} as const;

/** Channels listed one per line in the Home tab; the rest are counted (a section holds 3,000 characters). */
export const HOME_CHANNEL_LINES = 25;
/** The word an admin types to confirm deleting all analytics data. */
export const DELETE_CONFIRMATION_WORD = 'DELETE';

export interface AnalyticsHomeState {
  settings: AnalyticsSettings;
  channels: AnalyticsChannel[];
  progress: SyncProgress | undefined;
  lastSync: SyncSummary | undefined;
  /** The schedule (cron) and its time zone; undefined when scheduled syncs are off. */
  schedule: { cron: string; timeZone: string } | undefined;
  /** A one-off note for the admin who just acted (e.g. what a deletion removed). */
  notice: string | undefined;
}

const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });
const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text });
const section = (text: string, accessory?: unknown) => ({ type: 'section', text: mrkdwn(text), ...(accessory ? { accessory } : {}) });
const context = (text: string) => ({ type: 'context', elements: [mrkdwn(text)] });
const button = (text: string, actionId: string, style?: 'primary' | 'danger') => ({
  type: 'button',
  text: plain(text),
  action_id: actionId,
  ...(style ? { style } : {}),
});
const formatNumber = (value: number) => value.toLocaleString('en-US');
const formatDate = (date: Date) => `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} at {time}|${date.toISOString()}>`;

function channelLine(channel: AnalyticsChannel): string {
  const mark = { never: ':white_circle:', syncing: ':hourglass_flowing_sand:', synced: ':white_check_mark:', failed: ':x:' }[channel.status];
  const details: string[] = [];
  if (!channel.isMember) details.push('Pulse is not a member');
  if (channel.isArchived) details.push('archived');
  if (channel.autoJoinedAt) details.push('joined by pattern');
  if (channel.lastSyncFinishedAt) {
    details.push(`last sync ${formatDate(channel.lastSyncFinishedAt)}, ${formatNumber(channel.lastSyncMessages ?? 0)} messages read`);
  } else if (channel.status === 'never') {
    details.push('not synced yet');
  }
  if (channel.lastSyncError) details.push(channel.lastSyncError);
  return `${mark} ${channel.isPrivate ? ':lock: ' : '#'}${channel.name} — ${details.join(' · ')}`;
}

/** Channel names listed in the last sync's summary; a broad pattern may join hundreds. */
const SUMMARY_NAMES = 10;
/** Slack's limit for a section's or context element's text. */
const SECTION_TEXT_LIMIT = 3_000;

function listNames(names: string[]): string {
  const shown = names.slice(0, SUMMARY_NAMES).map((name) => `#${name}`).join(', ');
  return names.length > SUMMARY_NAMES ? `${shown} and ${names.length - SUMMARY_NAMES} more` : shown;
}

/** As many whole lines as fit in one section, then "…and N more". */
function fitLines(lines: string[], maxLines: number): string {
  for (let count = Math.min(lines.length, maxLines); count >= 0; count -= 1) {
    const rest = lines.length - count;
    const text = [...lines.slice(0, count), ...(rest > 0 ? [`…and ${rest} more`] : [])].join('\n');
    if (text.length <= SECTION_TEXT_LIMIT) return text;
  }
  return `${lines.length} channels`;
}

function describeSummary(summary: SyncSummary): string {
  if (summary.skipped) return `Last sync skipped: ${summary.skipped}`;
  const parts = [
    `${formatNumber(summary.channels)} channel${summary.channels === 1 ? '' : 's'}`,
    `${formatNumber(summary.messages)} messages read`,
    ...(summary.joined.length ? [`joined ${listNames(summary.joined)}`] : []),
    ...(summary.failed.length ? [`${summary.failed.length} failed`] : []),
  ];
  return `Last sync (${summary.trigger}) finished ${formatDate(summary.finishedAt)}: ${parts.join(' · ')}.`;
}

export function buildAnalyticsSection(state: AnalyticsHomeState): unknown[] {
  const { settings, progress } = state;
  const blocks: unknown[] = [{ type: 'header', text: plain('Workspace analytics') }];
  if (state.notice) blocks.push(section(`:information_source: ${state.notice}`));
  const status = !settings.enabled
    ? ':double_vertical_bar: *Paused* — nothing is synced until you resume.'
    : progress
      ? `:hourglass_flowing_sand: *Syncing* — ${progress.channelsDone} of ${progress.channelsTotal} channels done${progress.currentChannel ? `, now #${progress.currentChannel}` : ''}; ${formatNumber(progress.messages)} messages read so far.`
      : ':white_check_mark: *On* — Pulse counts activity (metadata, not message text) in the channels it is a member of.';
  blocks.push(
    section(status),
    {
      type: 'actions',
      elements: [
        ...(settings.enabled ? [button(progress ? 'Syncing…' : 'Sync now', ACTION_ID.syncNow, 'primary')] : [button('Resume syncing', ACTION_ID.resumeAnalytics, 'primary')]),
        button('Analytics settings', ACTION_ID.editAnalytics),
        button('Delete all analytics data', ACTION_ID.deleteAnalytics, 'danger'),
      ],
    },
  );
  if (state.lastSync) blocks.push(context(describeSummary(state.lastSync)));
  const lines = [
    `*Auto-join pattern:* ${settings.autoJoinPattern ? `\`${settings.autoJoinPattern}\` (public channels whose names match are joined on each sync)` : 'none'}`,
    `*History:* ${formatNumber(settings.lookbackDays)} days back · *Kept for:* ${formatNumber(settings.retentionDays)} days`,
    `*Message text:* ${settings.storeText ? 'stored' : 'not stored (metadata only)'} · *People:* ${settings.pseudonymize ? 'pseudonymized' : 'Slack ids'} · *Per-person figures:* ${settings.personFiguresFor === 'everyone' ? 'everyone' : 'admins only'}`,
    `*Schedule:* ${state.schedule ? `\`${state.schedule.cron}\` (${state.schedule.timeZone})` : 'off (ANALYTICS_SYNC_CRON=off): use Sync now'}`,
  ];
  blocks.push(section(lines.join('\n')));
  blocks.push(
    section(
      '*Export:* per-person (Slack id, email) and per-channel figures for a date range, as CSV files sent to your DM.',
      button('Export metrics (CSV)', METRICS_EXPORT_IDS.action.open),
    ),
  );
  const channels = state.channels.filter((channel) => channel.isMember || channel.status !== 'never');
  if (channels.length === 0) {
    blocks.push(context('No channels yet. Invite Pulse to a channel (`/invite @Pulse`) or set an auto-join pattern, then Sync now.'));
  } else {
    blocks.push(section(fitLines(channels.map(channelLine), HOME_CHANNEL_LINES)));
  }
  return blocks;
}

const option = (text: string, value: string) => ({ text: plain(text), value });

function choice(blockId: string, actionId: string, label: string, options: { text: string; value: string }[], selected: string, hint: string) {
  const initial = options.find((candidate) => candidate.value === selected) ?? options[0];
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    hint: plain(hint),
    element: {
      type: 'static_select',
      action_id: actionId,
      options: options.map((candidate) => option(candidate.text, candidate.value)),
      ...(initial ? { initial_option: option(initial.text, initial.value) } : {}),
    },
  };
}

function textInput(blockId: string, actionId: string, label: string, value: string | undefined, hint: string, optional = false) {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    hint: plain(hint),
    optional,
    element: { type: 'plain_text_input', action_id: actionId, ...(value ? { initial_value: value } : {}) },
  };
}

/** A date picker (Slack sends the pick as `selected_date`, YYYY-MM-DD). */
function dateInput(blockId: string, actionId: string, label: string, initialDate: string, hint: string) {
  return {
    type: 'input',
    block_id: blockId,
    label: plain(label),
    hint: plain(hint),
    element: { type: 'datepicker', action_id: actionId, initial_date: initialDate },
  };
}

export function buildAnalyticsSettingsModal(settings: AnalyticsSettings) {
  return {
    type: 'modal' as const,
    callback_id: VIEW_ID.analyticsSettings,
    title: plain('Analytics settings'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      textInput(
        BLOCK_ID.autoJoinPattern,
        ACTION_ID.autoJoinPatternInput,
        'Auto-join pattern (regular expression)',
        settings.autoJoinPattern,
        `Public channels whose names match (case-insensitive, without #) are joined on each sync, e.g. ^eng- . Pulse never leaves a channel on its own. Empty: none. At most ${MAX_PATTERN_LENGTH} characters.`,
        true,
      ),
      textInput(BLOCK_ID.lookbackDays, ACTION_ID.lookbackDaysInput, 'History to read (days)', String(settings.lookbackDays), `1 to ${formatNumber(MAX_LOOKBACK_DAYS)}. A longer history is read on the next sync.`),
      textInput(BLOCK_ID.retentionDays, ACTION_ID.retentionDaysInput, 'Keep data for (days)', String(settings.retentionDays), `1 to ${formatNumber(MAX_RETENTION_DAYS)}. Older rows are deleted daily.`),
      choice(
        BLOCK_ID.storeText,
        ACTION_ID.storeTextSelect,
        'Message text',
        [{ text: 'Metadata only (recommended)', value: 'false' }, { text: 'Also store message text', value: 'true' }],
        String(settings.storeText),
        'On: text is kept for new messages, and for the last 7 days from the next sync. Off: stored text is erased at once.',
      ),
      choice(
        BLOCK_ID.pseudonymize,
        ACTION_ID.pseudonymizeSelect,
        'People',
        [{ text: 'Slack user ids', value: 'false' }, { text: 'Pseudonyms (HMAC-SHA-256)', value: 'true' }],
        String(settings.pseudonymize),
        'Changing this deletes the stored analytics data; the next sync reads it again in the new form.',
      ),
      choice(
        BLOCK_ID.personFigures,
        ACTION_ID.personFiguresSelect,
        'Who may see per-person figures',
        [{ text: 'Admins only', value: 'admins' }, { text: 'Everyone', value: 'everyone' }],
        settings.personFiguresFor,
        'Channel figures are shown to members of that channel either way.',
      ),
    ],
  };
}

export function buildDeleteAnalyticsModal(counts: { messages: number; channels: number }) {
  return {
    type: 'modal' as const,
    callback_id: VIEW_ID.deleteAnalytics,
    title: plain('Delete analytics data'),
    submit: plain('Delete everything'),
    close: plain('Cancel'),
    blocks: [
      section(
        `This deletes *every* analytics row Pulse stored for this workspace: ${formatNumber(counts.messages)} messages' metadata, their reactions, mentions, links and threads, and the sync state of ${formatNumber(counts.channels)} channels. Syncing pauses until you resume it. This cannot be undone.`,
      ),
      textInput(BLOCK_ID.deleteConfirmation, ACTION_ID.deleteConfirmationInput, `Type ${DELETE_CONFIRMATION_WORD} to confirm`, undefined, 'Conversations, settings and the API key are not affected.'),
    ],
  };
}

/**
 * The export modal: a start and an end date (YYYY-MM-DD text inputs, filled with the default range), checked
 * on submit. Plain text rather than datepickers keeps one input type whose submitted state every client and
 * the emulator agree on; the hint says the format.
 */
export function buildMetricsExportModal(input: { from: string; to: string; retentionDays: number }) {
  return {
    type: 'modal' as const,
    callback_id: METRICS_EXPORT_IDS.view,
    title: plain('Export metrics'),
    submit: plain('Send to my DM'),
    close: plain('Cancel'),
    blocks: [
      section(
        'Pulse sends two CSV files to your DM: one row per person (Slack id, email, name) and one row per channel, with every signal for the range. Only channels you are a member of are counted. Message text is never exported.',
      ),
      dateInput(METRICS_EXPORT_IDS.block.from, METRICS_EXPORT_IDS.action.fromInput, 'Start date', input.from, 'UTC, inclusive.'),
      dateInput(
        METRICS_EXPORT_IDS.block.to,
        METRICS_EXPORT_IDS.action.toInput,
        'End date',
        input.to,
        `UTC, inclusive. At most ${formatNumber(input.retentionDays)} days after the start (how long Pulse keeps data).`,
      ),
    ],
  };
}
