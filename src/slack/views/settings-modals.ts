/** The admin modals: paste the API key, edit daily budgets (pure builders). */
import type { Budgets } from '../../settings/workspace-settings-service.ts';
import { MAX_API_KEY_LENGTH } from '../../settings/workspace-settings-service.ts';
import { ACTION_ID, BLOCK_ID, VIEW_ID } from '../ids.ts';

const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });

export function buildApiKeyModal(options: { replacing: boolean; baseUrl: string }) {
  return {
    type: 'modal' as const,
    callback_id: VIEW_ID.apiKey,
    title: plain(options.replacing ? 'Replace API key' : 'Set API key'),
    submit: plain('Check and save'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: BLOCK_ID.apiKey,
        label: plain('API key'),
        hint: plain(
          `Pulse checks the key with ${options.baseUrl} before saving it, stores it encrypted, and only ever shows its last 4 characters.${options.replacing ? ' The current key is deleted when the new one is saved.' : ''}`,
        ),
        element: {
          type: 'plain_text_input',
          action_id: ACTION_ID.apiKeyInput,
          // Slack's own cap is 3,000; one over the key limit lets Pulse explain an over-long paste.
          max_length: MAX_API_KEY_LENGTH + 1,
          placeholder: plain('sk-…'),
        },
      },
    ],
  };
}

/** Budgets are whole tokens per UTC day; empty means no limit. */
export function parseBudgetInput(value: string | null | undefined): { ok: true; value: number | undefined } | { ok: false; message: string } {
  const text = (value ?? '').replace(/[,_\s]/g, '');
  if (text === '') return { ok: true, value: undefined };
  if (!/^\d+$/.test(text) || Number(text) <= 0 || !Number.isSafeInteger(Number(text))) {
    return { ok: false, message: 'Enter a whole number of tokens, like 200000, or leave it empty for no limit.' };
  }
  return { ok: true, value: Number(text) };
}

export function buildBudgetsModal(budgets: Budgets) {
  const input = (blockId: string, actionId: string, label: string, value: number | undefined, hint: string) => ({
    type: 'input',
    block_id: blockId,
    optional: true,
    label: plain(label),
    hint: plain(hint),
    element: {
      type: 'plain_text_input',
      action_id: actionId,
      ...(value !== undefined ? { initial_value: String(value) } : {}),
      placeholder: plain('No limit'),
    },
  });
  return {
    type: 'modal' as const,
    callback_id: VIEW_ID.budgets,
    title: plain('Daily token budgets'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      input(BLOCK_ID.teamBudget, ACTION_ID.teamBudgetInput, 'Whole workspace, tokens per day', budgets.team, 'Empty: no limit. Days are UTC.'),
      input(BLOCK_ID.userBudget, ACTION_ID.userBudgetInput, 'Each person, tokens per day', budgets.perUser, 'Empty: no limit.'),
    ],
  };
}

export interface DataKindLine {
  kind: string;
  rows: number;
}

/** What an admin types to confirm a disconnect (a click alone is too easy for something this final). */
export const DISCONNECT_CONFIRMATION_WORD = 'DISCONNECT';

/** One line per kind of stored data, with its row count. */
export function describeDataKinds(kinds: readonly DataKindLine[]): string {
  return kinds.map(({ kind, rows }) => `• ${kind}: *${rows.toLocaleString('en-US')}*`).join('\n');
}

/** Turns the channel join notice on or off, showing the notice as it reads with the current settings. */
export function buildJoinNoticeModal(options: { enabled: boolean; preview: string }) {
  const option = (value: 'true' | 'false', text: string) => ({ text: plain(text), value });
  const choices = [option('true', 'On: post the notice when I join a channel'), option('false', 'Off: join channels silently')];
  return {
    type: 'modal' as const,
    callback_id: VIEW_ID.joinNotice,
    title: plain('Channel join notice'),
    submit: plain('Save'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'When Pulse is added to a channel, or joins one by the analytics pattern, it posts this notice there once:',
        },
      },
      // A quote of the notice; its own text is well under the 3,000-character section limit.
      { type: 'section', text: { type: 'mrkdwn', text: options.preview.split('\n').map((line) => `> ${line}`).join('\n') } },
      {
        type: 'input',
        block_id: BLOCK_ID.joinNotice,
        label: plain('Join notice'),
        element: {
          type: 'static_select',
          action_id: ACTION_ID.joinNoticeSelect,
          initial_option: choices[options.enabled ? 0 : 1],
          options: choices,
        },
      },
    ],
  };
}

/** The last step before a disconnect: exactly what is deleted, and what happens to the token. */
export function buildDisconnectModal(options: { kinds: readonly DataKindLine[] }) {
  return {
    type: 'modal' as const,
    callback_id: VIEW_ID.disconnect,
    title: plain('Disconnect Pulse'),
    submit: plain('Disconnect'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text:
            '*This cannot be undone.* Pulse stops syncing analytics and sending scheduled reports, deletes everything it stored for this workspace, ' +
            'and revokes its bot token: after that it can no longer read or post here. To use Pulse again, reinstall the app and restart Pulse with the new token.',
        },
      },
      { type: 'section', text: { type: 'mrkdwn', text: `*What will be deleted* (rows in Pulse’s database):\n${describeDataKinds(options.kinds)}` } },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'Messages Pulse posted (answers, reports, notices) stay in Slack; delete them there if you wish.' }],
      },
      {
        type: 'input',
        block_id: BLOCK_ID.disconnectConfirmation,
        label: plain(`Type ${DISCONNECT_CONFIRMATION_WORD} to confirm`),
        element: { type: 'plain_text_input', action_id: ACTION_ID.disconnectConfirmationInput, placeholder: plain(DISCONNECT_CONFIRMATION_WORD) },
      },
    ],
  };
}
