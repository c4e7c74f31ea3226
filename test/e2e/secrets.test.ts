/**
 * A full run at LOG_LEVEL=debug — a DM answered with tool calls and a chart, a
 * mention, App Home opened by an admin, a workspace API key pasted into the
 * App Home modal, an analytics sync of a small channel — and then every log
 * line, every Slack call Pulse made (views.publish payloads and message texts
 * included), every ack it sent and every request body the model received is
 * searched for the bot token, the app token, the server's OpenAI key, the
 * pasted key and ENCRYPTION_KEY. Keys travel only in Authorization headers.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTION_ID, BLOCK_ID } from '../../src/slack/ids.ts';
import { startHarness, TEST_OPENAI_KEY, waitForAnswer, type Harness } from '../support/pulse-harness.ts';

/** Shaped like no known key, so only Pulse registering it (not a generic sk-… pattern) keeps it out of the logs. */
const PASTED_KEY = `ws-live-${randomBytes(16).toString('hex')}`;
const ENCRYPTION_KEY = randomBytes(32).toString('hex');

const CHART = {
  type: 'line',
  title: 'Signups per week',
  x_label: 'Week',
  y_label: 'Signups',
  labels: ['W1', 'W2', 'W3', 'W4'],
  series: [{ name: 'signups', values: [12, 18, 15, 22] }],
};

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** Each secret as written, and in the other forms a careless log line could print it in. */
function secretForms(name: string, value: string): { name: string; form: string }[] {
  const forms = [value, value.toUpperCase(), Buffer.from(value).toString('base64')];
  if (/^[0-9a-f]{64}$/.test(value)) {
    // The raw key bytes as util.inspect prints a Buffer ("<Buffer 3f 0a …>") and as base64.
    const bytes = Buffer.from(value, 'hex');
    forms.push(bytes.subarray(0, 12).toString('hex').replace(/(..)(?!$)/g, '$1 '), bytes.toString('base64'));
  }
  return [...new Set(forms)].map((form) => ({ name, form }));
}

function homeText(h: Harness, userId: string): string {
  return JSON.stringify(h.emulator.homeView(userId)?.view.blocks ?? []);
}

async function waitForHome(h: Harness, userId: string, text: string) {
  return h.emulator.waitFor(() => homeText(h, userId).includes(text) && h.emulator.homeView(userId), { what: `"${text}" in the Home tab` });
}

describe('secrets at LOG_LEVEL=debug', () => {
  it('no token or key appears in any log line, Slack call, ack or model request of a full run', async () => {
    const h = (harness = await startHarness({
      env: { ENCRYPTION_KEY, LOG_LEVEL: 'debug', ANALYTICS_CALLS_PER_MINUTE: '10000' },
      llm: { validApiKeys: [TEST_OPENAI_KEY, PASTED_KEY] },
    }));
    const { emulator, llm } = h;
    const { admin, alice, bob, general } = emulator.seed;

    // An admin opens App Home (Pulse fetches the provider's models with the server key).
    emulator.openHome(admin.id);
    const home = await waitForHome(h, admin.id, 'gpt-4o"');

    // A mention, answered with the server's key.
    llm.script({ reply: 'The channel discussed the launch.' });
    await waitForAnswer(h, emulator.mention(bob.id, general.id, 'what happened here today?'));

    // The admin pastes a workspace key into the modal (with the stray spaces a paste brings).
    emulator.clickButton(admin.id, { viewId: home.id }, { actionId: ACTION_ID.setApiKey });
    const [modal] = await emulator.waitFor(() => emulator.openModals(admin.id).length > 0 && emulator.openModals(admin.id), { what: 'the key modal' });
    const ack = await emulator.submitView(admin.id, modal?.id as string, { [BLOCK_ID.apiKey]: { [ACTION_ID.apiKeyInput]: `  ${PASTED_KEY} \n` } });
    expect(ack).toEqual({});
    await waitForHome(h, admin.id, `…${PASTED_KEY.slice(-4)}`);

    // A DM answered with tool calls and a chart, now on the pasted key.
    llm.script(
      { toolCalls: [{ name: 'current_time', arguments: {} }, { name: 'render_chart', arguments: CHART }] },
      { reply: 'Signups rose to 22 last week; see the chart.' },
    );
    const dm = emulator.dm(alice.id, 'chart our weekly signups');
    const replies = await waitForAnswer(h, dm);
    expect(replies.map((reply) => reply.text)).toEqual(['', 'Signups rose to 22 last week; see the chart.']);
    expect(replies[0]?.fileIds).toHaveLength(1);

    // An analytics sync of a small channel, started from App Home.
    const tiny = emulator.createChannel({ name: 'tiny', kind: 'public', members: [alice.id, bob.id], botMember: true });
    emulator.seedHistory(tiny.id, [
      { user: alice.id, text: 'standup in 5' },
      { user: bob.id, text: 'joining' },
      { user: alice.id, text: 'notes are in the doc' },
    ]);
    emulator.clickButton(admin.id, { viewId: home.id }, { actionId: ACTION_ID.syncNow });
    await emulator.waitFor(() => /Last sync \(manual\) finished/.test(homeText(h, admin.id)), { what: 'the finished sync', timeoutMs: 30_000 });
    expect(emulator.callsTo('conversations.history').some((call) => call.params.channel === tiny.id)).toBe(true);

    // The keys went where they must: each Slack call carried the bot token as its credential, each model call a model key.
    expect(new Set(emulator.calls.filter((call) => call.method !== 'upload').map((call) => call.token))).toEqual(new Set([emulator.botToken, emulator.appToken]));
    expect(llm.requests.at(0)?.apiKey).toBe(TEST_OPENAI_KEY);
    expect(llm.requests.at(-1)?.apiKey).toBe(PASTED_KEY);
    // Raw Socket Mode payloads were logged, and the pasted key rode in one of them.
    expect(h.logs.some((line) => line.includes('envelope'))).toBe(true);
    expect(JSON.stringify(emulator.socketMode.history.map((envelope) => envelope.payload))).toContain(PASTED_KEY);

    const secrets = [
      ...secretForms('SLACK_BOT_TOKEN', emulator.botToken),
      ...secretForms('SLACK_APP_TOKEN', emulator.appToken),
      ...secretForms('OPENAI_API_KEY', TEST_OPENAI_KEY),
      ...secretForms('the pasted workspace key', PASTED_KEY),
      ...secretForms('ENCRYPTION_KEY', ENCRYPTION_KEY),
    ];
    const { authorization: _authorization, ...otherHeaders } = llm.requests[0]?.headers ?? {};
    const places: Record<string, string> = {
      'log lines': h.logs.join('\n'),
      'Slack call parameters': JSON.stringify(emulator.calls.map((call) => ({ method: call.method, params: call.params }))),
      'Socket Mode acks': JSON.stringify(emulator.socketMode.history.map((envelope) => envelope.ack ?? null)),
      'model request bodies': JSON.stringify(llm.requests.map((request) => request.body)),
      'model request headers besides Authorization': JSON.stringify(otherHeaders),
      'uploaded files': [...emulator.workspace.files.values()].map((file) => file.bytes.toString('latin1')).join('\n'),
      // The key is stored sealed; nothing else secret belongs in the database at all.
      'the database files': ['', '-wal']
        .filter((suffix) => existsSync(`${h.config.databasePath}${suffix}`))
        .map((suffix) => readFileSync(`${h.config.databasePath}${suffix}`).toString('latin1'))
        .join('\n'),
    };
    const hits = Object.entries(places).flatMap(([place, text]) =>
      secrets.filter(({ form }) => text.includes(form)).map(({ name }) => `${name} in ${place}`),
    );
    expect(hits).toEqual([]);
  });
});
