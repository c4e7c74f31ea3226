import { afterEach, describe, expect, it } from 'vitest';
import { ACTION_ID, BLOCK_ID } from '../../src/slack/ids.ts';
import { HOME_BLOCK_LIMIT } from '../../src/slack/views/app-home.ts';
import { WELCOME_TEXT } from '../../src/slack/welcome.ts';
import { startSlackEmulator } from '../../src/emulator/driver.ts';
import { wrapEvent } from '../../src/emulator/event-payloads.ts';
import { manifestBotEvents, settle, startHarness, TEST_OPENAI_KEY, waitForAnswer, waitForFailure, type Harness, type HarnessOptions } from '../support/pulse-harness.ts';

const NEW_KEY = 'sk-proj-new-workspace-key-7777';
const OTHER_KEY = 'sk-proj-replacement-key-9999';

let harness: Harness;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await harness?.stop();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function start(options: HarnessOptions = {}) {
  harness = await startHarness({
    ...options,
    llm: { validApiKeys: [TEST_OPENAI_KEY, NEW_KEY, OTHER_KEY], ...options.llm },
  });
  return harness;
}

/** Opens the Home tab as `userId` and waits for the view Pulse publishes (newer than `after`). */
async function openHome(userId: string, after?: string) {
  const { emulator } = harness;
  emulator.openHome(userId);
  return emulator.waitFor(() => {
    const view = emulator.homeView(userId);
    return view && view.hash !== after && view;
  }, { what: `the Home tab of ${userId}` });
}

const textOf = (view: { view: Record<string, unknown> } | undefined) => JSON.stringify(view?.view.blocks ?? []);

async function waitForHome(userId: string, predicate: (text: string) => boolean, what: string) {
  const { emulator } = harness;
  return emulator.waitFor(() => {
    const view = emulator.homeView(userId);
    return view && predicate(textOf(view)) && view;
  }, { what });
}

async function openKeyModal(userId: string) {
  const { emulator } = harness;
  const home = await openHome(userId);
  emulator.clickButton(userId, { viewId: home.id }, { actionId: ACTION_ID.setApiKey });
  const [modal] = await emulator.waitFor(() => emulator.openModals(userId).length > 0 && emulator.openModals(userId), { what: 'the key modal' });
  return modal as NonNullable<typeof modal>;
}

const keyInput = (value: string) => ({ [BLOCK_ID.apiKey]: { [ACTION_ID.apiKeyInput]: value } });

describe('the Home tab', () => {
  it('shows admins the key status, the model picker with the provider’s models, connection test, budgets and usage', async () => {
    const { emulator } = await start();
    const { admin } = emulator.seed;
    await openHome(admin.id);
    const home = await waitForHome(admin.id, (text) => text.includes('gpt-4o"'), 'the model list from the provider');
    const text = textOf(home);
    expect(text).toContain("using the server's `OPENAI_API_KEY`");
    for (const actionId of [ACTION_ID.setApiKey, ACTION_ID.selectModel, ACTION_ID.testConnection, ACTION_ID.editBudgets]) {
      expect(text).toContain(actionId);
    }
    expect(text).toContain('No questions in the last 30 days yet.');
    expect((home.view.blocks as unknown[]).length).toBeLessThanOrEqual(HOME_BLOCK_LIMIT);
  });

  it('shows everyone else what Pulse does and who the admins are — never a key input or an admin button', async () => {
    const { emulator } = await start();
    const home = await openHome(emulator.seed.alice.id);
    const text = textOf(home);
    expect(text).toContain('Only workspace admins can set Pulse’s API key');
    expect(text).toContain(`<@${emulator.seed.admin.id}>`);
    expect(text).toContain('Ask Pulse in DM');
    for (const actionId of Object.values(ACTION_ID).filter((id) => id !== ACTION_ID.instructionInput)) expect(text).not.toContain(actionId);
  });

  it('treats people in ADMIN_USER_IDS as admins', async () => {
    const emulator = await startSlackEmulator({ subscribedEvents: manifestBotEvents() });
    cleanups.push(() => emulator.stop());
    await start({ reuse: { emulator }, env: { ADMIN_USER_IDS: `${emulator.seed.bob.id}, UOTHERADMIN` } });
    const home = await openHome(emulator.seed.bob.id);
    expect(textOf(home)).toContain(ACTION_ID.setApiKey);
  });
});

describe('the workspace API key', () => {
  it('is validated with the provider before it is saved; bad values come back as inline errors and save nothing', async () => {
    const { emulator } = await start();
    const { admin } = emulator.seed;
    const modal = await openKeyModal(admin.id);

    const cases: [string, RegExp][] = [
      ['', /field is empty/],
      ['   ', /field is empty/],
      ['sk-with a space', /spaces or line breaks/],
      [`sk-${'x'.repeat(600)}`, /much shorter/],
      ['sk-proj-rejected-key-0000', /rejected this key \(401\)/],
    ];
    for (const [value, message] of cases) {
      const ack = await emulator.submitView(admin.id, modal.id, keyInput(value));
      expect(ack).toMatchObject({ response_action: 'errors', errors: { [BLOCK_ID.apiKey]: expect.stringMatching(message) } });
    }
    const home = await openHome(admin.id);
    expect(textOf(home)).toContain("using the server's `OPENAI_API_KEY`");
  });

  it('once saved, shows only its last 4 characters and is used for every later answer — never logged, shown or sent to the model', async () => {
    const { emulator, llm } = await start();
    const { admin, alice } = emulator.seed;
    const modal = await openKeyModal(admin.id);

    expect(await emulator.submitView(admin.id, modal.id, keyInput(`  ${NEW_KEY}\n`))).toEqual({});

    const home = await waitForHome(admin.id, (text) => text.includes('…7777'), 'the key status');
    expect(textOf(home)).toContain(`set by <@${admin.id}>`);
    const question = emulator.dm(alice.id, 'who set the key?');
    await waitForAnswer(harness, question);
    expect(llm.requests.at(-1)?.apiKey).toBe(NEW_KEY);

    const everythingSlackSaw = JSON.stringify([...emulator.workspace.views.values()].map((view) => view.view)) +
      JSON.stringify([...emulator.workspace.messages.values()].flat().map((message) => message.text));
    expect(everythingSlackSaw).not.toContain(NEW_KEY);
    expect(harness.logs.join('\n')).not.toContain(NEW_KEY);
    expect(JSON.stringify(llm.requests.map((request) => request.body))).not.toContain(NEW_KEY);
  });

  it('is drawn for the workspace Pulse is installed in, whatever team the event names (a Slack Connect user’s, say)', async () => {
    const { emulator } = await start();
    const { admin } = emulator.seed;
    const modal = await openKeyModal(admin.id);
    await emulator.submitView(admin.id, modal.id, keyInput(NEW_KEY));
    const saved = await waitForHome(admin.id, (text) => text.includes('…7777'), 'the key status');

    const opened = { type: 'app_home_opened', user: admin.id, channel: emulator.imChannel(admin.id), tab: 'home', event_ts: emulator.workspace.nextTs() };
    const publishes = emulator.callsTo('views.publish').length;
    emulator.sendRawEnvelope('events_api', { ...wrapEvent(emulator.workspace, opened), team_id: 'T0CONNECT' });

    await emulator.waitFor(() => emulator.callsTo('views.publish').length > publishes, { what: 'the Home tab drawn again' });
    await settle();
    expect(textOf(emulator.homeView(admin.id))).toContain('…7777');
    expect(textOf(emulator.homeView(admin.id))).toBe(textOf(saved));
  });

  it('can be replaced (the old one is no longer used) and removed (back to the server’s key)', async () => {
    const { emulator, llm } = await start();
    const { admin, bob } = emulator.seed;
    await emulator.submitView(admin.id, (await openKeyModal(admin.id)).id, keyInput(NEW_KEY));
    await waitForHome(admin.id, (text) => text.includes('…7777'), 'the first key');
    await emulator.submitView(admin.id, (await openKeyModal(admin.id)).id, keyInput(OTHER_KEY));
    const replaced = await waitForHome(admin.id, (text) => text.includes('…9999'), 'the replacement');
    await waitForAnswer(harness, emulator.dm(bob.id, 'after replacing'));
    expect(llm.requests.at(-1)?.apiKey).toBe(OTHER_KEY);

    emulator.clickButton(admin.id, { viewId: replaced.id }, { actionId: ACTION_ID.removeApiKey });
    await waitForHome(admin.id, (text) => text.includes("using the server's `OPENAI_API_KEY`"), 'the key removed');
    await waitForAnswer(harness, emulator.dm(bob.id, 'after removing'));
    expect(llm.requests.at(-1)?.apiKey).toBe(TEST_OPENAI_KEY);
  });

  it('removed with no server key: questions get ❌ and "an admin must set the API key"', async () => {
    const { emulator, llm } = await start({ env: { OPENAI_API_KEY: undefined } });
    const { admin, alice } = emulator.seed;
    expect(textOf(await openHome(admin.id))).toContain('*Not set*');
    await emulator.submitView(admin.id, (await openKeyModal(admin.id)).id, keyInput(NEW_KEY));
    const home = await waitForHome(admin.id, (text) => text.includes('…7777'), 'the key');
    emulator.clickButton(admin.id, { viewId: home.id }, { actionId: ACTION_ID.removeApiKey });
    await waitForHome(admin.id, (text) => text.includes('*Not set*'), 'the key removed');

    const [notice] = await waitForFailure(harness, emulator.dm(alice.id, 'hello?'));
    expect(notice?.text).toContain("An admin must set the API key in Pulse's App Home");
    expect(llm.requests).toHaveLength(0);
  });

  it('reports an unreachable provider inline', async () => {
    const { emulator } = await start({ env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
    const modal = await openKeyModal(emulator.seed.admin.id);
    const ack = await emulator.submitView(emulator.seed.admin.id, modal.id, keyInput(NEW_KEY));
    expect(ack).toMatchObject({ response_action: 'errors', errors: { [BLOCK_ID.apiKey]: expect.stringContaining('could not reach the provider') } });
  });
});

describe('admin actions are authorised on the server', () => {
  it('a forged key submission or button click from a non-admin is refused, logged, and changes nothing', async () => {
    const { emulator } = await start();
    const { admin, alice } = emulator.seed;
    const modal = await openKeyModal(admin.id);
    const adminHome = emulator.homeView(admin.id);

    const ack = await emulator.submitView(alice.id, modal.id, keyInput(NEW_KEY));
    expect(ack).toMatchObject({ response_action: 'errors', errors: { [BLOCK_ID.apiKey]: expect.stringContaining('Only Pulse admins') } });
    emulator.clickButton(alice.id, { viewId: adminHome?.id as string }, { actionId: ACTION_ID.removeApiKey });
    emulator.selectOption(alice.id, { viewId: adminHome?.id as string }, { actionId: ACTION_ID.selectModel, value: 'gpt-4o' });
    await emulator.waitFor(() => harness.logs.filter((line) => line.includes('refused')).length >= 3, { what: 'three refusals logged' });

    expect(harness.logs.filter((line) => line.includes(`from ${alice.id}`) && line.includes('not a Pulse admin'))).toHaveLength(3);
    const home = await openHome(admin.id, adminHome?.hash);
    expect(textOf(home)).toContain("using the server's `OPENAI_API_KEY`");
    expect(textOf(home)).toContain('"initial_option":{"text":{"type":"plain_text","text":"gpt-4o-mini"');
  });
});

describe('model, connection test and budgets', () => {
  it('the chosen model is used for later answers', async () => {
    const { emulator, llm } = await start();
    const { admin, bob } = emulator.seed;
    const home = await openHome(admin.id);
    emulator.selectOption(admin.id, { viewId: home.id }, { actionId: ACTION_ID.selectModel, value: 'gpt-4o' });
    await waitForHome(admin.id, (text) => text.includes('"initial_option":{"text":{"type":"plain_text","text":"gpt-4o"'), 'the new model');
    await waitForAnswer(harness, emulator.dm(bob.id, 'which model?'));
    expect(llm.requests.at(-1)?.body.model).toBe('gpt-4o');
  });

  it('"Test connection" reports Slack and the provider in plain words', async () => {
    const { emulator } = await start();
    const { admin } = emulator.seed;
    const home = await openHome(admin.id);
    emulator.clickButton(admin.id, { viewId: home.id }, { actionId: ACTION_ID.testConnection });
    const tested = await waitForHome(admin.id, (text) => text.includes('Authenticated as'), 'the connection result');
    expect(textOf(tested)).toContain(`Authenticated as ${emulator.workspace.team.domain}.slack.com.`);
    expect(textOf(tested)).toContain('The provider accepted the key; 2 model(s) available.');
  });

  it('over a daily budget, a question gets ❌ and an explanation instead of a model call', async () => {
    const { emulator, llm } = await start();
    const { admin, alice } = emulator.seed;
    await waitForAnswer(harness, emulator.dm(alice.id, 'spend some tokens'));
    const home = await openHome(admin.id);
    emulator.clickButton(admin.id, { viewId: home.id }, { actionId: ACTION_ID.editBudgets });
    const [modal] = await emulator.waitFor(() => emulator.openModals(admin.id).length > 0 && emulator.openModals(admin.id));
    const invalid = await emulator.submitView(admin.id, modal?.id as string, { [BLOCK_ID.teamBudget]: { [ACTION_ID.teamBudgetInput]: 'lots' } });
    expect(invalid).toMatchObject({ response_action: 'errors', errors: { [BLOCK_ID.teamBudget]: expect.stringContaining('whole number') } });
    expect(await emulator.submitView(admin.id, modal?.id as string, { [BLOCK_ID.teamBudget]: { [ACTION_ID.teamBudgetInput]: '1' } })).toEqual({});
    await waitForHome(admin.id, (text) => text.includes('Workspace: *1 tokens*'), 'the budget');

    const requestsBefore = llm.requests.length;
    const [notice] = await waitForFailure(harness, emulator.dm(alice.id, 'one more?'));
    expect(notice?.text).toContain('daily budget of 1 tokens');
    expect(llm.requests).toHaveLength(requestsBefore);
  });

  it('usage counts questions and tokens per day and names the top users', async () => {
    const { emulator } = await start();
    const { admin, alice } = emulator.seed;
    await waitForAnswer(harness, emulator.dm(alice.id, 'first'));
    await waitForAnswer(harness, emulator.dm(alice.id, 'second'));
    const home = await openHome(admin.id);
    expect(textOf(home)).toMatch(/\*2\* questions · \*\d[\d,]*\* tokens in the last 30 days/);
    expect(textOf(home)).toContain(`<@${alice.id}> (2 q`);
  });
});

describe('the welcome', () => {
  it('is sent once: on the first visit to the Messages tab or the first DM', async () => {
    const { emulator } = await start();
    const { alice, bob } = emulator.seed;
    emulator.openHome(alice.id, 'messages');
    emulator.openHome(alice.id, 'messages');
    await emulator.waitFor(() => emulator.messages(emulator.imChannel(alice.id)).length > 0, { what: 'the welcome' });
    await settle(300);
    expect(emulator.messages(emulator.imChannel(alice.id)).map((message) => message.text)).toEqual([WELCOME_TEXT]);

    const first = emulator.dm(bob.id, 'hi');
    await waitForAnswer(harness, first);
    const second = emulator.dm(bob.id, 'hi again');
    await waitForAnswer(harness, second);
    const welcomes = emulator.messages(emulator.imChannel(bob.id)).filter((message) => message.text === WELCOME_TEXT);
    expect(welcomes).toHaveLength(1);
  });
});
