import { describe, expect, it } from 'vitest';
import type { DailyUsage, UserUsage } from '../../src/db/usage-store.ts';
import type { KeyStatus } from '../../src/settings/workspace-settings-service.ts';
import { ACTION_ID } from '../../src/slack/ids.ts';
import {
  buildAdminHome,
  buildMemberHome,
  describeKeyStatus,
  HOME_BLOCK_LIMIT,
  type AdminHomeState,
  type ConnectionResult,
} from '../../src/slack/views/app-home.ts';

// Block Kit limits the views must respect (docs.slack.dev/reference/block-kit); Slack rejects the whole view otherwise.
/** section `text` is at most 3,000 characters. */
const SECTION_TEXT_LIMIT = 3_000;
/** header text is plain text of at most 150 characters. */
const HEADER_TEXT_LIMIT = 150;
/** Any text object (context elements included) is at most 3,000 characters. */
const TEXT_OBJECT_LIMIT = 3_000;
/** A context block holds at most 10 elements. */
const CONTEXT_ELEMENT_LIMIT = 10;
/** An actions block holds at most 25 elements. */
const ACTIONS_ELEMENT_LIMIT = 25;
/** Button text is at most 75 characters. */
const BUTTON_TEXT_LIMIT = 75;
/** static_select takes at most 100 options. */
const SELECT_OPTION_LIMIT = 100;
/** Option text is at most 75 characters… */
const OPTION_TEXT_LIMIT = 75;
/** …and its value at most 150. */
const OPTION_VALUE_LIMIT = 150;
/** Placeholders are at most 150 characters. */
const PLACEHOLDER_LIMIT = 150;
/** Confirm dialog: title 100, text 300, confirm/deny 30 characters. */
const CONFIRM_TITLE_LIMIT = 100;
const CONFIRM_TEXT_LIMIT = 300;
const CONFIRM_BUTTON_LIMIT = 30;
/** action_id and block_id are at most 255 characters. */
const ID_LIMIT = 255;
/** The block types Pulse's Home tab may use. */
const VALID_BLOCK_TYPES = new Set(['section', 'header', 'context', 'divider', 'actions', 'input', 'image', 'rich_text', 'markdown']);

type Node = Record<string, unknown>;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);
const nodesOf = (value: unknown): Node[] => (Array.isArray(value) ? value.filter(isNode) : []);
const textOf = (value: unknown): string | undefined => (isNode(value) && typeof value.text === 'string' ? value.text : undefined);

/** Every way a set of blocks breaks a Block Kit rule, as readable lines (empty when the view is valid). */
function blockKitProblems(blocks: unknown[]): string[] {
  const problems: string[] = [];
  const checkText = (where: string, value: unknown, limit: number, kinds: readonly string[] = ['plain_text', 'mrkdwn']) => {
    const text = textOf(value);
    if (!isNode(value) || !kinds.includes(String(value.type))) problems.push(`${where}: not a ${kinds.join('/')} text object`);
    else if (text === undefined || text.length === 0) problems.push(`${where}: empty text`);
    else if (text.length > limit) problems.push(`${where}: ${text.length} characters (limit ${limit})`);
  };
  const checkId = (where: string, id: unknown) => {
    if (id !== undefined && (typeof id !== 'string' || id.length === 0 || id.length > ID_LIMIT)) problems.push(`${where}: bad id ${String(id)}`);
  };
  const checkOption = (where: string, option: Node) => {
    checkText(`${where} text`, option.text, OPTION_TEXT_LIMIT, ['plain_text']);
    if (typeof option.value !== 'string' || option.value.length === 0 || option.value.length > OPTION_VALUE_LIMIT) {
      problems.push(`${where}: bad value ${String(option.value)}`);
    }
  };
  const checkElement = (where: string, element: Node) => {
    checkId(`${where} action_id`, element.action_id);
    if (element.type === 'button') {
      checkText(`${where} text`, element.text, BUTTON_TEXT_LIMIT, ['plain_text']);
      if (typeof element.action_id !== 'string') problems.push(`${where}: button without action_id`);
      if (element.confirm !== undefined) {
        const confirm = isNode(element.confirm) ? element.confirm : {};
        checkText(`${where} confirm title`, confirm.title, CONFIRM_TITLE_LIMIT, ['plain_text']);
        checkText(`${where} confirm text`, confirm.text, CONFIRM_TEXT_LIMIT);
        checkText(`${where} confirm button`, confirm.confirm, CONFIRM_BUTTON_LIMIT, ['plain_text']);
        checkText(`${where} deny button`, confirm.deny, CONFIRM_BUTTON_LIMIT, ['plain_text']);
      }
    } else if (element.type === 'static_select') {
      const options = nodesOf(element.options);
      if (options.length === 0 || options.length > SELECT_OPTION_LIMIT) problems.push(`${where}: ${options.length} options`);
      options.forEach((option, index) => checkOption(`${where} option ${index}`, option));
      const values = options.map((option) => option.value);
      if (new Set(values).size !== values.length) problems.push(`${where}: duplicate option values`);
      if (element.placeholder !== undefined) checkText(`${where} placeholder`, element.placeholder, PLACEHOLDER_LIMIT, ['plain_text']);
      if (element.initial_option !== undefined) {
        if (!isNode(element.initial_option)) problems.push(`${where}: bad initial_option`);
        // Slack rejects an initial_option that is not exactly one of the options.
        else if (!options.some((option) => JSON.stringify(option) === JSON.stringify(element.initial_option))) {
          problems.push(`${where}: initial_option is not one of the options`);
        }
      }
    } else {
      problems.push(`${where}: unexpected element type ${String(element.type)}`);
    }
  };

  if (blocks.length > HOME_BLOCK_LIMIT) problems.push(`${blocks.length} blocks (limit ${HOME_BLOCK_LIMIT})`);
  blocks.forEach((raw, index) => {
    const where = `block ${index}`;
    if (!isNode(raw) || typeof raw.type !== 'string' || !VALID_BLOCK_TYPES.has(raw.type)) {
      problems.push(`${where}: invalid type ${isNode(raw) ? String(raw.type) : typeof raw}`);
      return;
    }
    checkId(`${where} block_id`, raw.block_id);
    switch (raw.type) {
      case 'header':
        checkText(`${where} header`, raw.text, HEADER_TEXT_LIMIT, ['plain_text']);
        break;
      case 'section':
        checkText(`${where} section`, raw.text, SECTION_TEXT_LIMIT);
        if (raw.accessory !== undefined) checkElement(`${where} accessory`, isNode(raw.accessory) ? raw.accessory : {});
        break;
      case 'context': {
        const elements = nodesOf(raw.elements);
        if (elements.length === 0 || elements.length > CONTEXT_ELEMENT_LIMIT) problems.push(`${where}: ${elements.length} context elements`);
        elements.forEach((element, i) => checkText(`${where} element ${i}`, element, TEXT_OBJECT_LIMIT));
        break;
      }
      case 'actions': {
        const elements = nodesOf(raw.elements);
        if (elements.length === 0 || elements.length > ACTIONS_ELEMENT_LIMIT) problems.push(`${where}: ${elements.length} action elements`);
        elements.forEach((element, i) => checkElement(`${where} element ${i}`, element));
        break;
      }
      default:
        break;
    }
  });
  return problems;
}

/** Every action_id anywhere in a view. */
function actionIdsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(actionIdsIn);
  if (!isNode(value)) return [];
  const own = typeof value.action_id === 'string' ? [value.action_id] : [];
  return [...own, ...Object.values(value).flatMap(actionIdsIn)];
}

/** Every element (button, select…) anywhere in the blocks. */
function elementsIn(blocks: unknown[]): Node[] {
  return nodesOf(blocks).flatMap((block) => [
    ...(isNode(block.accessory) ? [block.accessory] : []),
    ...(block.type === 'actions' ? nodesOf(block.elements) : []),
  ]);
}

const buttonWith = (blocks: unknown[], actionId: string) => elementsIn(blocks).find((element) => element.type === 'button' && element.action_id === actionId);
const modelSelectIn = (blocks: unknown[]) => {
  const select = elementsIn(blocks).find((element) => element.type === 'static_select');
  if (!select) throw new Error('no model select in the view');
  return select as Node & { action_id: string; options: Node[]; initial_option: Node & { value: string; text: { text: string } } };
};
const allText = (view: unknown) => JSON.stringify(view);

// Factories.

const DAY_MS = 86_400_000;
const FIRST_DAY = Date.UTC(2025, 2, 1);

function aDay(index: number, overrides: Partial<DailyUsage> = {}): DailyUsage {
  return { day: new Date(FIRST_DAY + index * DAY_MS).toISOString().slice(0, 10), questions: 40 + index, tokens: 123_456_789 + index * 1_000, ...overrides };
}

const thirtyDaysOfUsage = (): DailyUsage[] => Array.from({ length: 30 }, (_, index) => aDay(index));

function aTopUser(index: number): UserUsage {
  return { userId: `U0${String(index).padStart(10, '0')}`, questions: 99_999 - index, tokens: 9_999_999_999 - index };
}

const fiveTopUsers = (): UserUsage[] => Array.from({ length: 5 }, (_, index) => aTopUser(index));

function aConnection(overrides: Partial<ConnectionResult> = {}): ConnectionResult {
  return {
    checkedAt: new Date('2025-03-30T12:00:00Z'),
    slack: { ok: true, text: 'Authenticated as acme.slack.com.' },
    llm: { ok: false, text: 'The provider at https://api.openai.com/v1 refused the key. Check it and set it again.' },
    ...overrides,
  };
}

/** Realistic provider model ids, some as long as fine-tune ids get. */
const providerModels = (count: number): string[] =>
  Array.from({ length: count }, (_, index) => (index % 3 === 0 ? `ft:gpt-4o-mini-2024-07-18:acme-corporation:support-bot:${String(index).padStart(8, 'x')}` : `gpt-model-${index}`));

function aWorkspaceKey(overrides: Partial<Extract<KeyStatus, { kind: 'workspace' }>> = {}): KeyStatus {
  return { kind: 'workspace', last4: 'abcd', setBy: 'U0ADMIN0001', setAt: new Date('2025-03-15T09:30:00Z'), ...overrides };
}

function anAdminState(overrides: Partial<AdminHomeState> = {}): AdminHomeState {
  return {
    keyStatus: { kind: 'server' },
    model: 'gpt-4o-mini',
    models: undefined,
    budgets: { team: undefined, perUser: undefined },
    usage: { daily: [], topUsers: [] },
    connection: undefined,
    adminIds: ['U0ADMIN0001'],
    ...overrides,
  };
}

/** The fullest admin view Pulse can build: every optional part present, lists at their longest. */
const aFullAdminState = (overrides: Partial<AdminHomeState> = {}) =>
  anAdminState({
    keyStatus: aWorkspaceKey(),
    model: 'gpt-4o-mini',
    models: providerModels(300),
    budgets: { team: 9_007_199_254_740_991, perUser: 1_000_000_000 },
    usage: { daily: thirtyDaysOfUsage(), topUsers: fiveTopUsers() },
    connection: aConnection(),
    adminIds: Array.from({ length: 12 }, (_, index) => `U0ADMIN${String(index).padStart(4, '0')}`),
    ...overrides,
  });

describe('buildAdminHome', () => {
  it('stays within every Block Kit limit with 30 days of usage, 5 top users, a connection result and 300 provider models', () => {
    const view = buildAdminHome(aFullAdminState());
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_BLOCK_LIMIT);
    expect(blockKitProblems(view.blocks)).toEqual([]);
  });

  it('stays within the limits in its emptiest form too (no key, no models, no usage, no admins known)', () => {
    const view = buildAdminHome(anAdminState({ keyStatus: { kind: 'none' }, adminIds: [] }));
    expect(blockKitProblems(view.blocks)).toEqual([]);
  });

  it('stays within the limits for every key status, with and without a connection result', () => {
    for (const keyStatus of [aWorkspaceKey(), { kind: 'server' } as const, { kind: 'none' } as const]) {
      for (const connection of [undefined, aConnection(), aConnection({ slack: { ok: false, text: 'Slack refused Pulse’s bot token (invalid_auth).' } })]) {
        expect(blockKitProblems(buildAdminHome(aFullAdminState({ keyStatus, connection })).blocks)).toEqual([]);
      }
    }
  });

  it('offers at most 100 models, each option text at most 75 characters, with the full id as the value', () => {
    const longId = `ft:gpt-4o-2024-08-06:${'a-very-long-organisation-name-'.repeat(3)}:model`;
    const select = modelSelectIn(buildAdminHome(aFullAdminState({ models: [longId, ...providerModels(300)] })).blocks);
    expect(select.options).toHaveLength(SELECT_OPTION_LIMIT);
    for (const option of select.options) expect(textOf(option.text)?.length).toBeLessThanOrEqual(OPTION_TEXT_LIMIT);
    const long = select.options.find((option) => option.value === longId);
    expect(long).toBeDefined();
    expect(textOf(long?.text)).toBe(longId.slice(0, OPTION_TEXT_LIMIT));
  });

  it('carries the model select action id', () => {
    expect(modelSelectIn(buildAdminHome(aFullAdminState()).blocks).action_id).toBe(ACTION_ID.selectModel);
  });

  it('makes the current model the initial option even when the provider list lacks it', () => {
    const select = modelSelectIn(buildAdminHome(aFullAdminState({ model: 'my-private-deployment', models: providerModels(300) })).blocks);
    expect(select.initial_option.value).toBe('my-private-deployment');
    expect(select.options.map((option) => option.value)).toContain('my-private-deployment');
    expect(blockKitProblems([{ type: 'section', text: { type: 'mrkdwn', text: 'x' }, accessory: select }])).toEqual([]);
  });

  it('keeps the current model selectable when it sits past the 100th entry of the provider list, and lists it once', () => {
    const models = providerModels(300);
    const current = models[250] as string;
    const select = modelSelectIn(buildAdminHome(aFullAdminState({ model: current, models })).blocks);
    expect(select.initial_option.value).toBe(current);
    expect(select.options.filter((option) => option.value === current)).toHaveLength(1);
  });

  it('offers just the current model before the provider has answered, and says the list will follow', () => {
    const view = buildAdminHome(anAdminState({ model: 'gpt-4o', models: undefined }));
    const select = modelSelectIn(view.blocks);
    expect(select.options.map((option) => option.value)).toEqual(['gpt-4o']);
    expect(select.initial_option.value).toBe('gpt-4o');
    expect(allText(view.blocks)).toContain('appears once it answers a connection test');
  });

  it('keeps a current model id longer than 75 characters valid: truncated text, full value, initial option among the options', () => {
    const model = `ft:gpt-4o-mini-2024-07-18:${'x'.repeat(80)}`;
    const select = modelSelectIn(buildAdminHome(anAdminState({ model, models: ['gpt-4o'] })).blocks);
    expect(select.initial_option.value).toBe(model);
    expect(select.initial_option.text.text).toHaveLength(OPTION_TEXT_LIMIT);
    expect(blockKitProblems([{ type: 'section', text: { type: 'mrkdwn', text: 'x' }, accessory: select }])).toEqual([]);
  });

  it('puts the set/replace, test connection and edit budgets buttons under their action ids', () => {
    const blocks = buildAdminHome(aFullAdminState()).blocks;
    for (const actionId of [ACTION_ID.setApiKey, ACTION_ID.testConnection, ACTION_ID.editBudgets]) {
      expect(buttonWith(blocks, actionId), actionId).toBeDefined();
    }
    expect(new Set(actionIdsIn(blocks))).toEqual(
      new Set([
        ACTION_ID.setApiKey,
        ACTION_ID.removeApiKey,
        ACTION_ID.selectModel,
        ACTION_ID.testConnection,
        ACTION_ID.editBudgets,
        ACTION_ID.editJoinNotice,
        ACTION_ID.disconnect,
      ]),
    );
  });

  it('labels the key button "Replace key" when a workspace key is set and "Set key" otherwise', () => {
    expect(textOf(buttonWith(buildAdminHome(anAdminState({ keyStatus: aWorkspaceKey() })).blocks, ACTION_ID.setApiKey)?.text)).toBe('Replace key');
    expect(textOf(buttonWith(buildAdminHome(anAdminState({ keyStatus: { kind: 'server' } })).blocks, ACTION_ID.setApiKey)?.text)).toBe('Set key');
    expect(textOf(buttonWith(buildAdminHome(anAdminState({ keyStatus: { kind: 'none' } })).blocks, ACTION_ID.setApiKey)?.text)).toBe('Set key');
  });

  it('shows the Remove button only when a workspace key is set, behind a danger confirm dialog', () => {
    expect(buttonWith(buildAdminHome(anAdminState({ keyStatus: { kind: 'server' } })).blocks, ACTION_ID.removeApiKey)).toBeUndefined();
    expect(buttonWith(buildAdminHome(anAdminState({ keyStatus: { kind: 'none' } })).blocks, ACTION_ID.removeApiKey)).toBeUndefined();
    const remove = buttonWith(buildAdminHome(anAdminState({ keyStatus: aWorkspaceKey() })).blocks, ACTION_ID.removeApiKey);
    expect(remove?.style).toBe('danger');
    const confirm = remove?.confirm as Node | undefined;
    expect(confirm).toBeDefined();
    expect(textOf(confirm?.title)).toBeTruthy();
    expect(textOf(confirm?.text)).toContain('fall back');
    expect(textOf(confirm?.confirm)).toBe('Remove');
    expect(textOf(confirm?.deny)).toBeTruthy();
    expect(confirm?.style).toBe('danger');
  });

  it('never shows more of the workspace key than its last 4 characters', () => {
    const fullKey = 'sk-proj-Zr8TqLmN4vXw2YpK9sHd0abcd';
    const view = buildAdminHome(aFullAdminState({ keyStatus: aWorkspaceKey({ last4: fullKey.slice(-4) }) }));
    const text = allText(view);
    expect(text).toContain('…abcd');
    expect(text).not.toContain(fullKey);
    expect(text).not.toContain(fullKey.slice(-5));
  });

  it('says so when nobody asked anything in the last 30 days, and lists no top users', () => {
    const text = allText(buildAdminHome(anAdminState({ usage: { daily: [], topUsers: [] } })).blocks);
    expect(text).toContain('No questions in the last 30 days yet.');
    expect(text).not.toContain('Top users');
  });

  it('totals questions and tokens over the days, with thousands separators, and names the top users', () => {
    const daily = [aDay(0, { questions: 1_000, tokens: 1_500_000 }), aDay(1, { questions: 234, tokens: 500_000 })];
    const topUsers = [{ userId: 'U0ALICE', questions: 1_200, tokens: 1_900_000 }, { userId: 'U0BOB', questions: 34, tokens: 100_000 }];
    const text = allText(buildAdminHome(anAdminState({ usage: { daily, topUsers } })).blocks);
    expect(text).toContain('*1,234* questions · *2,000,000* tokens in the last 30 days.');
    expect(text).toContain('<@U0ALICE> (1,200 q, 1,900,000 tokens)');
    expect(text).toContain('<@U0BOB> (34 q, 100,000 tokens)');
    expect(text).toContain('2025-03-01');
  });

  it('draws a day with questions but no tokens recorded without breaking the table', () => {
    const view = buildAdminHome(anAdminState({ usage: { daily: [aDay(0, { questions: 3, tokens: 0 })], topUsers: [aTopUser(0)] } }));
    expect(blockKitProblems(view.blocks)).toEqual([]);
    expect(allText(view.blocks)).toContain('*3* questions · *0* tokens');
  });

  it('shows each budget, or "no limit" when none is set', () => {
    expect(allText(buildAdminHome(anAdminState({ budgets: { team: 200_000, perUser: undefined } })).blocks)).toContain(
      'Workspace: *200,000 tokens* · Per person: *no limit*',
    );
    expect(allText(buildAdminHome(anAdminState({ budgets: { team: undefined, perUser: 5_000 } })).blocks)).toContain(
      'Workspace: *no limit* · Per person: *5,000 tokens*',
    );
  });

  it('shows the connection result with a mark for each side, and nothing before a test was run', () => {
    const withResult = allText(buildAdminHome(anAdminState({ connection: aConnection() })).blocks);
    expect(withResult).toContain(':white_check_mark: *Slack:* Authenticated as acme.slack.com.');
    expect(withResult).toContain(':x: *LLM provider:* The provider at https://api.openai.com/v1 refused the key.');
    expect(allText(buildAdminHome(anAdminState({ connection: undefined })).blocks)).not.toContain('*LLM provider:*');
  });

  it('names the admins, or "your workspace admins" when none are known', () => {
    expect(allText(buildAdminHome(anAdminState({ adminIds: ['U0A', 'U0B'] })).blocks)).toContain('Admins: <@U0A>, <@U0B>.');
    expect(allText(buildAdminHome(anAdminState({ adminIds: [] })).blocks)).toContain('Admins: your workspace admins.');
  });

  // Bug: namesOf() joins every admin, unbounded; a large workspace (≈ 180+ admins and owners) pushes the context
  // text past 3,000 characters and Slack rejects the whole Home tab (invalid_blocks). Flip to `it` once fixed.
  it('stays within the text limit for a workspace with hundreds of admins', () => {
    const adminIds = Array.from({ length: 300 }, (_, index) => `U0${String(index).padStart(9, '0')}`);
    expect(blockKitProblems(buildAdminHome(aFullAdminState({ adminIds })).blocks)).toEqual([]);
    expect(blockKitProblems(buildMemberHome({ ready: true, adminIds }).blocks)).toEqual([]);
  });
});

describe('buildMemberHome', () => {
  it('stays within the Block Kit limits, ready or not', () => {
    for (const ready of [true, false]) {
      const view = buildMemberHome({ ready, adminIds: ['U0ADMIN0001', 'U0ADMIN0002'] });
      expect(view.type).toBe('home');
      expect(blockKitProblems(view.blocks)).toEqual([]);
    }
  });

  it('contains no admin action ids and no inputs', () => {
    const view = buildMemberHome({ ready: false, adminIds: ['U0ADMIN0001'] });
    expect(actionIdsIn(view)).toEqual([]);
    for (const actionId of Object.values(ACTION_ID)) expect(allText(view)).not.toContain(`"${actionId}"`);
    expect(view.blocks.some((block) => (block as Node).type === 'input' || (block as Node).type === 'actions')).toBe(false);
  });

  it('names the admins so people know whom to ask', () => {
    expect(allText(buildMemberHome({ ready: false, adminIds: ['U0ADMIN0001', 'U0ADMIN0002'] }))).toContain('Admins: <@U0ADMIN0001>, <@U0ADMIN0002>.');
  });

  it('says "your workspace admins" when no admin is known', () => {
    expect(allText(buildMemberHome({ ready: false, adminIds: [] }))).toContain('Admins: your workspace admins.');
  });

  it('says whether Pulse is ready to answer', () => {
    expect(allText(buildMemberHome({ ready: true, adminIds: [] }))).toContain('set up and ready to answer');
    expect(allText(buildMemberHome({ ready: false, adminIds: [] }))).toContain('an admin needs to set my API key');
  });

  it('explains every way to ask Pulse', () => {
    const text = allText(buildMemberHome({ ready: true, adminIds: [] }));
    for (const way of ['*DM me*', '*Mention @Pulse*', '*Ask Pulse*', '*Ask Pulse in DM*']) expect(text).toContain(way);
  });
});

describe('describeKeyStatus', () => {
  it('describes a workspace key by its last 4 characters, who set it and when (a Slack date token)', () => {
    const text = describeKeyStatus(aWorkspaceKey({ setBy: 'U0ADMIN0001', setAt: new Date('2025-03-15T09:30:00Z') }));
    expect(text).toContain('`…abcd`');
    expect(text).toContain('set by <@U0ADMIN0001>');
    expect(text).toContain(`<!date^${Date.UTC(2025, 2, 15, 9, 30) / 1000}^`);
    expect(text).toContain('|2025-03-15T09:30:00.000Z>');
  });

  it('never shows more than the last 4 characters of a key', () => {
    const fullKey = 'sk-ant-api03-Qw7Ep2Lk9Xn4Rt6Yabcd';
    const text = describeKeyStatus(aWorkspaceKey({ last4: 'abcd' }));
    expect(text).not.toContain(fullKey);
    expect(text).not.toContain(fullKey.slice(-5));
    expect(text.match(/…(\w+)/)?.[1]).toBe('abcd');
  });

  it('says the server key is in use when the workspace has none of its own', () => {
    expect(describeKeyStatus({ kind: 'server' })).toContain('OPENAI_API_KEY');
  });

  it('warns that Pulse cannot answer when no key is set anywhere', () => {
    expect(describeKeyStatus({ kind: 'none' })).toContain('Pulse cannot answer until an admin sets the API key');
  });

  it('fits a section text for every kind', () => {
    for (const status of [aWorkspaceKey(), { kind: 'server' } as const, { kind: 'none' } as const]) {
      expect(describeKeyStatus(status).length).toBeLessThanOrEqual(SECTION_TEXT_LIMIT);
    }
  });
});
