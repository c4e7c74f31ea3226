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
