import { describe, expect, it } from 'vitest';
import { MAX_API_KEY_LENGTH, type Budgets } from '../../src/settings/workspace-settings-service.ts';
import { ACTION_ID, BLOCK_ID, VIEW_ID } from '../../src/slack/ids.ts';
import { buildApiKeyModal, buildBudgetsModal, parseBudgetInput } from '../../src/slack/views/settings-modals.ts';

/** Modal titles are plain text of at most 24 characters. */
const MODAL_TITLE_LIMIT = 24;
/** Modal submit/close button text: at most 24 characters. */
const MODAL_BUTTON_LIMIT = 24;
/** plain_text_input max_length cannot exceed 3,000. */
const INPUT_MAX_LENGTH_LIMIT = 3_000;
/** Input labels and hints: at most 2,000 characters. */
const LABEL_LIMIT = 2_000;
/** Placeholders: at most 150 characters. */
const PLACEHOLDER_LIMIT = 150;

const BASE_URL = 'https://api.openai.com/v1';

function aBudgets(overrides: Partial<Budgets> = {}): Budgets {
  return { team: undefined, perUser: undefined, ...overrides };
}

function inputsOf(modal: { blocks: unknown[] }) {
  return modal.blocks as {
    type: string;
    block_id: string;
    optional?: boolean;
    label: { text: string };
    hint?: { text: string };
    element: { type: string; action_id: string; max_length?: number; initial_value?: string; placeholder?: { text: string } };
  }[];
}

describe('buildApiKeyModal', () => {
  it('is routed by the api key callback id, with one input under the api key block and action ids', () => {
    const modal = buildApiKeyModal({ replacing: false, baseUrl: BASE_URL });
    expect(modal.type).toBe('modal');
    expect(modal.callback_id).toBe(VIEW_ID.apiKey);
    const inputs = inputsOf(modal);
    expect(inputs).toHaveLength(1);
    expect(inputs[0]?.type).toBe('input');
    expect(inputs[0]?.block_id).toBe(BLOCK_ID.apiKey);
    expect(inputs[0]?.element.type).toBe('plain_text_input');
    expect(inputs[0]?.element.action_id).toBe(ACTION_ID.apiKeyInput);
  });

  it('caps the input one past the longest accepted key, within Slack’s own cap, so an over-long paste can be explained', () => {
    const max = inputsOf(buildApiKeyModal({ replacing: false, baseUrl: BASE_URL }))[0]?.element.max_length;
    expect(max).toBe(MAX_API_KEY_LENGTH + 1);
    expect(max).toBeLessThanOrEqual(INPUT_MAX_LENGTH_LIMIT);
  });

  it('never pre-fills the input with a key', () => {
    for (const replacing of [true, false]) {
      expect(inputsOf(buildApiKeyModal({ replacing, baseUrl: BASE_URL }))[0]?.element.initial_value).toBeUndefined();
    }
  });

  it('keeps its title and buttons within Slack’s limits whether setting or replacing', () => {
    for (const replacing of [true, false]) {
      const modal = buildApiKeyModal({ replacing, baseUrl: BASE_URL });
      expect(modal.title.type).toBe('plain_text');
      expect(modal.title.text.length).toBeLessThanOrEqual(MODAL_TITLE_LIMIT);
      expect(modal.submit.text.length).toBeLessThanOrEqual(MODAL_BUTTON_LIMIT);
      expect(modal.close.text.length).toBeLessThanOrEqual(MODAL_BUTTON_LIMIT);
      const [input] = inputsOf(modal);
      expect(input?.label.text.length).toBeLessThanOrEqual(LABEL_LIMIT);
      expect(input?.hint?.text.length).toBeLessThanOrEqual(LABEL_LIMIT);
      expect(input?.element.placeholder?.text.length).toBeLessThanOrEqual(PLACEHOLDER_LIMIT);
    }
  });

  it('says "Replace" and that the current key is deleted only when replacing', () => {
    const replacing = buildApiKeyModal({ replacing: true, baseUrl: BASE_URL });
    const setting = buildApiKeyModal({ replacing: false, baseUrl: BASE_URL });
    expect(replacing.title.text).toBe('Replace API key');
    expect(setting.title.text).toBe('Set API key');
    expect(inputsOf(replacing)[0]?.hint?.text).toContain('The current key is deleted');
    expect(inputsOf(setting)[0]?.hint?.text).not.toContain('The current key is deleted');
  });

  it('names the provider the key is checked with, and promises only the last 4 characters are shown', () => {
    const hint = inputsOf(buildApiKeyModal({ replacing: false, baseUrl: 'https://llm.internal.example/v1' }))[0]?.hint?.text;
    expect(hint).toContain('https://llm.internal.example/v1');
    expect(hint).toContain('last 4 characters');
  });
});

describe('parseBudgetInput', () => {
  it('reads an empty field, blank text, null or undefined as no limit', () => {
    for (const value of ['', '   ', null, undefined]) expect(parseBudgetInput(value)).toEqual({ ok: true, value: undefined });
  });

  it('reads whole numbers, ignoring thousands separators (commas, spaces, underscores) and surrounding space', () => {
    expect(parseBudgetInput('200000')).toEqual({ ok: true, value: 200_000 });
    expect(parseBudgetInput('200,000')).toEqual({ ok: true, value: 200_000 });
    expect(parseBudgetInput('200 000')).toEqual({ ok: true, value: 200_000 });
    expect(parseBudgetInput('200_000')).toEqual({ ok: true, value: 200_000 });
    expect(parseBudgetInput(' 1,000,000 \n')).toEqual({ ok: true, value: 1_000_000 });
    expect(parseBudgetInput('1')).toEqual({ ok: true, value: 1 });
  });

  it.each(['0', '000', '-5', '1.5', '1e6', 'lots', '200k', '+5', '9'.repeat(30), '9007199254740993'])('rejects %j with an explanation', (value) => {
    const result = parseBudgetInput(value);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('whole number of tokens');
  });

  it('accepts the largest safe integer', () => {
    expect(parseBudgetInput(String(Number.MAX_SAFE_INTEGER))).toEqual({ ok: true, value: Number.MAX_SAFE_INTEGER });
  });
});

describe('buildBudgetsModal', () => {
  it('is routed by the budgets callback id, with optional team and per-person inputs under their ids', () => {
    const modal = buildBudgetsModal(aBudgets());
    expect(modal.callback_id).toBe(VIEW_ID.budgets);
    expect(modal.title.text.length).toBeLessThanOrEqual(MODAL_TITLE_LIMIT);
    const inputs = inputsOf(modal);
    expect(inputs.map((input) => [input.block_id, input.element.action_id])).toEqual([
      [BLOCK_ID.teamBudget, ACTION_ID.teamBudgetInput],
      [BLOCK_ID.userBudget, ACTION_ID.userBudgetInput],
    ]);
    for (const input of inputs) {
      expect(input.type).toBe('input');
      expect(input.optional).toBe(true);
      expect(input.element.type).toBe('plain_text_input');
    }
  });

  it('pre-fills each input with its current budget', () => {
    const [team, user] = inputsOf(buildBudgetsModal(aBudgets({ team: 200_000, perUser: 5_000 })));
    expect(team?.element.initial_value).toBe('200000');
    expect(user?.element.initial_value).toBe('5000');
  });

  it('leaves an input empty (no initial_value at all) when that budget is not set', () => {
    const [team, user] = inputsOf(buildBudgetsModal(aBudgets({ team: undefined, perUser: 5_000 })));
    expect(team?.element).not.toHaveProperty('initial_value');
    expect(user?.element.initial_value).toBe('5000');
    const [emptyTeam, emptyUser] = inputsOf(buildBudgetsModal(aBudgets()));
    expect(emptyTeam?.element).not.toHaveProperty('initial_value');
    expect(emptyUser?.element).not.toHaveProperty('initial_value');
  });

  it('pre-fills values that parse back to the same budgets when submitted unchanged', () => {
    const budgets = aBudgets({ team: 1_234_567, perUser: 89 });
    const [team, user] = inputsOf(buildBudgetsModal(budgets));
    expect(parseBudgetInput(team?.element.initial_value)).toEqual({ ok: true, value: budgets.team });
    expect(parseBudgetInput(user?.element.initial_value)).toEqual({ ok: true, value: budgets.perUser });
  });

  it('says days are UTC', () => {
    expect(JSON.stringify(buildBudgetsModal(aBudgets()))).toContain('Days are UTC');
  });
});
