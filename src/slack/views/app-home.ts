/** Pulse's Home tab: the admin console, or what Pulse does for everyone else (pure builders). */
import type { DailyUsage, UserUsage } from '../../db/usage-store.ts';
import type { Budgets, KeyStatus } from '../../settings/workspace-settings-service.ts';
import { ACTION_ID } from '../ids.ts';
import { describeDataKinds, type DataKindLine } from './settings-modals.ts';

/** Slack caps a Home tab at 100 blocks; the admin view stays well under it whatever the data. */
export const HOME_BLOCK_LIMIT = 100;
/** static_select takes at most 100 options. */
const SELECT_OPTION_LIMIT = 100;
/** Option text is plain text of at most 75 characters. */
const OPTION_TEXT_LIMIT = 75;

export interface ConnectionResult {
  checkedAt: Date;
  slack: { ok: boolean; text: string };
  llm: { ok: boolean; text: string };
}

export interface AdminHomeState {
  keyStatus: KeyStatus;
  model: string;
  /** The provider's models, when it has answered. */
  models: string[] | undefined;
  budgets: Budgets;
  usage: { daily: DailyUsage[]; topUsers: UserUsage[] };
  connection: ConnectionResult | undefined;
  adminIds: string[];
  /** The analytics section's blocks (views/analytics-home.ts). */
  analytics?: unknown[];
  /** Whether Pulse posts its notice when it joins a channel; unknown: the section does not say. */
  joinNotice?: boolean;
}

export interface DisconnectedHomeState {
  kinds: readonly DataKindLine[];
  total: number;
}

export interface MemberHomeState {
  ready: boolean;
  adminIds: string[];
}

const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });
const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text });
const section = (text: string, accessory?: unknown) => ({ type: 'section', text: mrkdwn(text), ...(accessory ? { accessory } : {}) });
const header = (text: string) => ({ type: 'header', text: plain(text) });
const context = (text: string) => ({ type: 'context', elements: [mrkdwn(text)] });
const divider = { type: 'divider' };
const button = (text: string, actionId: string, style?: 'primary' | 'danger', confirm?: unknown) => ({
  type: 'button',
  text: plain(text),
  action_id: actionId,
  ...(style ? { style } : {}),
  ...(confirm ? { confirm } : {}),
});

const formatNumber = (value: number) => value.toLocaleString('en-US');
const formatDate = (date: Date) => `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} at {time}|${date.toISOString()}>`;

/** Admins named in the Home tab; the rest are counted, so a large workspace stays within the 3,000-character text limit. */
const NAMED_ADMIN_LIMIT = 20;

function namesOf(adminIds: string[]): string {
  if (adminIds.length === 0) return 'your workspace admins';
  const named = adminIds.slice(0, NAMED_ADMIN_LIMIT).map((id) => `<@${id}>`).join(', ');
  const rest = adminIds.length - NAMED_ADMIN_LIMIT;
  return rest > 0 ? `${named} and ${rest} more` : named;
}

const WHAT_PULSE_DOES = [
  '*DM me* any question — I read our conversation and answer in a thread.',
  '*Mention @Pulse* in a channel or thread I am in — I answer in the thread, and follow-ups there need no mention.',
  '*Ask Pulse* (message “⋯” menu) — I answer about that message in its thread, for everyone.',
  '*Ask Pulse in DM* — I answer about a message privately, in our DM, with a link back.',
  '*Ask about the workspace* — “who gave the most help replies in #eng-help last month?”, “chart weekly messages per channel”: I count activity (who posted, replied, reacted — never what they wrote) in channels I am in, and show figures only for channels you are in.',
].map((line) => `• ${line}`);

export function describeKeyStatus(status: KeyStatus): string {
  switch (status.kind) {
    case 'workspace':
      return `:white_check_mark: *Set* — ending in \`…${status.last4}\`, set by <@${status.setBy}> ${formatDate(status.setAt)}.`;
    case 'unreadable':
      return `:x: *Stored key cannot be read* — the key ending in \`…${status.last4}\` was encrypted under a different ENCRYPTION_KEY (or key file). Set the key again; until then Pulse uses the server's key, if any.`;
    case 'server':
      return ":information_source: *Not set in Slack* — using the server's `OPENAI_API_KEY`. Set a key here to use your own.";
    case 'none':
      return ':warning: *Not set* — Pulse cannot answer until an admin sets the API key.';
  }
}

function modelPicker(model: string, models: string[] | undefined) {
  const choices = [model, ...(models ?? []).filter((id) => id !== model)].slice(0, SELECT_OPTION_LIMIT);
  const option = (id: string) => ({ text: plain(id.slice(0, OPTION_TEXT_LIMIT)), value: id });
  return {
    type: 'static_select',
    action_id: ACTION_ID.selectModel,
    placeholder: plain('Choose a model'),
    initial_option: option(model),
    options: choices.map(option),
  };
}

function usageBlocks(usage: AdminHomeState['usage']): unknown[] {
  const totalQuestions = usage.daily.reduce((sum, day) => sum + day.questions, 0);
  const totalTokens = usage.daily.reduce((sum, day) => sum + day.tokens, 0);
  if (totalQuestions === 0) return [section('No questions in the last 30 days yet.')];
  const widest = Math.max(...usage.daily.map((day) => day.tokens), 1);
  const rows = usage.daily.map(
    (day) =>
      `${day.day}  ${String(day.questions).padStart(5)}  ${formatNumber(day.tokens).padStart(11)}  ${'█'.repeat(Math.max(1, Math.round((day.tokens / widest) * 20)))}`,
  );
  const table = ['day         questions      tokens', ...rows].join('\n');
  return [
    section(`*${formatNumber(totalQuestions)}* questions · *${formatNumber(totalTokens)}* tokens in the last 30 days.`),
    section(`\`\`\`${table.slice(0, 2_900)}\`\`\``),
    section(
      `*Top users:* ${usage.topUsers
        .map((user) => `<@${user.userId}> (${formatNumber(user.questions)} q, ${formatNumber(user.tokens)} tokens)`)
        .join(' · ')}`,
    ),
  ];
}

export function buildAdminHome(state: AdminHomeState) {
  const { keyStatus, budgets, connection } = state;
  const blocks: unknown[] = [
    header('Pulse — admin settings'),
    context(`Only Pulse admins see this page: Slack admins and owners, and anyone in ADMIN_USER_IDS. Admins: ${namesOf(state.adminIds)}.`),
    divider,
    header('LLM API key'),
    section(describeKeyStatus(keyStatus), button(keyStatus.kind === 'workspace' || keyStatus.kind === 'unreadable' ? 'Replace key' : 'Set key', ACTION_ID.setApiKey, 'primary')),
  ];
  if (keyStatus.kind === 'workspace' || keyStatus.kind === 'unreadable') {
    blocks.push({
      type: 'actions',
      elements: [
        button('Remove key', ACTION_ID.removeApiKey, 'danger', {
          title: plain('Remove the API key?'),
          text: mrkdwn('Pulse will fall back to the server’s key if there is one; otherwise it stops answering until a key is set.'),
          confirm: plain('Remove'),
          deny: plain('Keep it'),
          style: 'danger',
        }),
      ],
    });
  }
  blocks.push(
    header('Model'),
    section(
      state.models ? 'The model Pulse answers with:' : 'The model Pulse answers with (the provider’s list appears once it answers a connection test):',
      modelPicker(state.model, state.models),
    ),
    header('Connection'),
    section('Check that Slack and the LLM provider both accept Pulse’s credentials.', button('Test connection', ACTION_ID.testConnection)),
  );
  if (connection) {
    const mark = (ok: boolean) => (ok ? ':white_check_mark:' : ':x:');
    blocks.push(
      context(
        `${mark(connection.slack.ok)} *Slack:* ${connection.slack.text}\n${mark(connection.llm.ok)} *LLM provider:* ${connection.llm.text}\nChecked ${formatDate(connection.checkedAt)}.`,
      ),
    );
  }
  blocks.push(
    header('Daily token budgets'),
    section(
      `Workspace: *${budgets.team ? `${formatNumber(budgets.team)} tokens` : 'no limit'}* · Per person: *${budgets.perUser ? `${formatNumber(budgets.perUser)} tokens` : 'no limit'}*. Over budget, a question gets ❌ and an explanation instead of a model call. Days are UTC.`,
      button('Edit budgets', ACTION_ID.editBudgets),
    ),
    header('Usage'),
    ...usageBlocks(state.usage),
    ...(state.analytics ? [divider, ...state.analytics] : []),
    divider,
    ...lifecycleBlocks(state.joinNotice),
    divider,
    section(['*What Pulse does*', ...WHAT_PULSE_DOES].join('\n')),
  );
  return { type: 'home' as const, blocks: blocks.slice(0, HOME_BLOCK_LIMIT) };
}

/** The join notice switch and the way out: what an admin needs to trust Pulse, and to take it all back. */
function lifecycleBlocks(joinNotice: boolean | undefined): unknown[] {
  const state = joinNotice === undefined ? '' : joinNotice ? ':white_check_mark: *On.* ' : ':no_entry_sign: *Off.* ';
  return [
    header('Channel join notice'),
    section(
      `${state}When Pulse joins a channel (invited, or by the analytics pattern) it posts a short notice there, once: what it reads, who sees the figures, and how to remove it.`,
      button('Change', ACTION_ID.editJoinNotice),
    ),
    header('Disconnect Pulse'),
    section(
      'Revoke Pulse’s access to this workspace and delete everything it stored here: the API key, settings, usage, analytics and reports. You see exactly what will be deleted before anything is.',
      button('Disconnect Pulse', ACTION_ID.disconnect, 'danger'),
    ),
  ];
}

/** Shown on the admin's Home tab when Disconnect could not delete (nothing was deleted or revoked). */
export function disconnectFailedNotice(teamId: string, reference: string): string {
  return (
    `:warning: Pulse could not delete this workspace's data (ref ${reference}), so nothing was deleted and the token was not revoked. ` +
    `Try *Disconnect Pulse* again in a minute, or stop Pulse and run \`npm run purge -- --team ${teamId}\`.`
  );
}

/** What the admin who disconnected Pulse sees last: what was deleted, and that the token is going. */
export function buildDisconnectedHome(state: DisconnectedHomeState) {
  return {
    type: 'home' as const,
    blocks: [
      header('Pulse is disconnected'),
      section(`Everything Pulse stored for this workspace was deleted: *${formatNumber(state.total)}* rows.`),
      section(describeDataKinds(state.kinds)),
      section(
        ':hourglass_flowing_sand: Pulse’s bot token is being revoked now. After that Pulse can no longer read or post in this workspace, and this page is not updated again.',
      ),
      context('To use Pulse again, reinstall the app from manifest.json and restart Pulse with the new bot token.'),
    ],
  };
}

export function buildMemberHome(state: MemberHomeState) {
  return {
    type: 'home' as const,
    blocks: [
      header('Pulse'),
      section(['I’m Pulse, your team’s AI analyst. Here is how to ask me:', ...WHAT_PULSE_DOES].join('\n')),
      divider,
      section(
        state.ready
          ? ':white_check_mark: I’m set up and ready to answer.'
          : ':warning: I’m not set up yet: an admin needs to set my API key before I can answer.',
      ),
      context(`Only workspace admins can set Pulse’s API key and settings. Admins: ${namesOf(state.adminIds)}.`),
    ],
  };
}
