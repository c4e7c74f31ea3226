import { afterEach, describe, expect, it } from 'vitest';
import { createQuestionStore, messageDedupeKey } from '../../src/db/question-store.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { assistantStatuses } from '../../src/emulator/web-api/reactions-users.ts';
import { startSlackEmulator } from '../../src/emulator/driver.ts';
import { BUSY_NOTICE, GAVE_UP_NOTICE, TOO_OLD_NOTICE } from '../../src/conversation/conversation-service.ts';
import { startFakeLlm } from '../support/fake-llm.ts';
import {
  manifestBotEvents,
  sameReactions,
  settle,
  startHarness,
  waitForAnswer,
  waitForFailure,
  type Harness,
} from '../support/pulse-harness.ts';

let harness: Harness | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function start(env: Record<string, string | undefined> = {}) {
  harness = await startHarness({ env });
  return harness;
}

describe('status while Pulse works', () => {
  it('shows "is thinking…" in a thread opened from Slack’s AI apps panel, and nowhere else', async () => {
    const { emulator, llm } = await start();
    const { alice } = emulator.seed;
    llm.script({ reply: 'one' }, { reply: 'two' });
    const thread = emulator.startAssistantThread(alice.id);
    await settle(200);

    const question = emulator.dm(alice.id, 'first', { threadTs: thread.ts });
    await waitForAnswer(harness as Harness, question);
    expect(assistantStatuses.get(emulator.workspace)?.get(`${thread.channel}:${thread.ts}`)).toBe('is thinking…');

    const plain = emulator.dm(alice.id, 'a plain DM');
    await waitForAnswer(harness as Harness, plain);
    expect(emulator.callsTo('assistant.threads.setStatus')).toHaveLength(1);
  });

  it('never fails the answer when Slack refuses the status', async () => {
    const { emulator, llm } = await start();
    llm.script({ reply: 'still answered' });
    const thread = emulator.startAssistantThread(emulator.seed.bob.id);
    await settle(200);
    emulator.faults.error('assistant.threads.setStatus', 'not_allowed');

    const replies = await waitForAnswer(harness as Harness, emulator.dm(emulator.seed.bob.id, 'hi', { threadTs: thread.ts }));
    expect(replies.map((reply) => reply.text)).toEqual(['still answered']);
  });
});

describe('failures are explained in the thread, with ❌ and 👀 removed', () => {
  it('no API key anywhere: an admin must set it in App Home', async () => {
    const { emulator, llm } = await start({ OPENAI_API_KEY: undefined });
    const question = emulator.dm(emulator.seed.alice.id, 'hello?');
    const [notice] = await waitForFailure(harness as Harness, question);
    expect(notice?.text).toContain("An admin must set the API key in Pulse's App Home");
    expect(llm.requests).toHaveLength(0);
  });

  it('the provider keeps rate-limiting: try again in a minute', async () => {
    const { emulator, llm } = await start();
    llm.setDefault({ status: 429, message: 'Rate limit reached', code: 'rate_limit_exceeded', headers: { 'retry-after': '0' } });
    const [notice] = await waitForFailure(harness as Harness, emulator.dm(emulator.seed.alice.id, 'busy?'));
    expect(notice?.text).toContain('rate-limiting Pulse right now');
    expect(llm.requests.length).toBe(3); // the first try and two retries with backoff
  });

  it('a transient provider error is retried and the answer still arrives', async () => {
    const { emulator, llm } = await start();
    llm.script({ status: 500, message: 'upstream hiccup' }, { reply: 'Recovered answer.' });
    const replies = await waitForAnswer(harness as Harness, emulator.dm(emulator.seed.alice.id, 'flaky?'));
    expect(replies.map((reply) => reply.text)).toEqual(['Recovered answer.']);
  });

  it('the provider is too slow: the answer took too long', async () => {
    const { emulator, llm } = await start({ LLM_TIMEOUT_SECONDS: '1' });
    llm.setDefault({ reply: 'late', delayMs: 5_000 });
    const [notice] = await waitForFailure(harness as Harness, emulator.dm(emulator.seed.alice.id, 'slow?'));
    expect(notice?.text).toContain('took too long');
  });

  it('the provider is unreachable: a plain sentence, never the raw error', async () => {
    const { emulator } = await start({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' });
    const [notice] = await waitForFailure(harness as Harness, emulator.dm(emulator.seed.alice.id, 'anyone there?'));
    expect(notice?.text).toContain("couldn't reach the LLM provider");
    expect(notice?.text).not.toMatch(/ECONNREFUSED|fetch failed|Error:/);
  });

  it('Pulse was removed from the channel before answering: the asker is told privately', async () => {
    const { emulator, llm } = await start();
    const { alice, general } = emulator.seed;
    llm.script({ reply: 'never seen', delayMs: 400 });
    const question = emulator.mention(alice.id, general.id, 'quick one');
    await llm.waitForRequests(1);
    general.members.delete(emulator.botUserId);

    const notice = await emulator.waitFor(() => emulator.messages(emulator.imChannel(alice.id))[0], { what: 'a private notice' });
    expect(notice.text).toContain('/invite @Pulse');
    expect(emulator.botReplies(question)).toEqual([]);
  });
});

describe('Slack rate limits', () => {
  it('are waited out: a 429 on chat.postMessage delays the answer, it is still delivered once', async () => {
    const { emulator } = await start();
    emulator.faults.rateLimit('chat.postMessage', { times: 1, retryAfterSeconds: 1 });
    const replies = await waitForAnswer(harness as Harness, emulator.dm(emulator.seed.bob.id, 'through the limit'));
    expect(replies).toHaveLength(1);
    expect(emulator.callsTo('chat.postMessage').map((call) => call.status)).toEqual([429, 200]);
  });
});

describe('Slack rate-limit storms', () => {
  it('four 429s in a row on conversations.history are waited out and the answer arrives once', async () => {
    const { emulator } = await start();
    emulator.faults.rateLimit('conversations.history', { times: 4, retryAfterSeconds: 1 });
    const replies = await waitForAnswer(harness as Harness, emulator.dm(emulator.seed.alice.id, 'through the storm'), { timeoutMs: 15_000 });
    expect(replies).toHaveLength(1);
    expect(emulator.callsTo('conversations.history').map((call) => call.status)).toEqual([429, 429, 429, 429, 200]);
  });
});

describe('a full queue', () => {
  it('tells a new asker their question is queued, then answers everyone', async () => {
    const { emulator, llm } = await start({ MAX_CONCURRENT_ANSWERS: '1' });
    llm.setDefault({ reply: 'done', delayMs: 300 });
    const users = Array.from({ length: 4 }, (_, index) => emulator.workspace.addUser({ name: `user${index}` }));

    const questions = users.map((user) => emulator.dm(user.id, 'in line'));

    for (const question of questions) await waitForAnswer(harness as Harness, question, { timeoutMs: 15_000 });
    const last = emulator.botReplies(questions.at(-1) as { channel: string; ts: string }).map((reply) => reply.text);
    expect(last).toEqual([BUSY_NOTICE, 'done']);
    expect(emulator.botReplies(questions[0] as { channel: string; ts: string }).map((reply) => reply.text)).toEqual(['done']);
  });
});

describe('order', () => {
  it('answers in one thread go out in the order the questions came, even when a later one is quicker', async () => {
    const { emulator, llm } = await start({ MAX_CONCURRENT_ANSWERS: '8' });
    const { alice, general } = emulator.seed;
    // Each question gets its own answer, whatever order the model is called in.
    llm.setDefault({
      respond: (request) => {
        const last = String((request.body.messages as { content: unknown }[]).at(-1)?.content);
        if (last.endsWith('first')) return { reply: 'slow first answer', delayMs: 600 };
        return { reply: last.endsWith('second') ? 'quick second answer' : 'elsewhere' };
      },
    });
    const first = emulator.mention(alice.id, general.id, 'first');
    await llm.waitForRequests(1);
    const second = emulator.mention(alice.id, general.id, 'second', { threadTs: first.ts });
    const elsewhere = emulator.dm(emulator.seed.bob.id, 'unrelated');

    await waitForAnswer(harness as Harness, second);
    expect(emulator.botReplies(first).map((reply) => reply.text)).toEqual(['slow first answer', 'quick second answer']);
    // Other threads are not held up by the slow one.
    const [other] = await waitForAnswer(harness as Harness, elsewhere);
    expect(Number(other?.ts)).toBeLessThan(Number(emulator.botReplies(first)[0]?.ts));
  });
});

describe('after a restart', () => {
  it('a question interrupted twice is given up with a notice, not tried a third time', async () => {
    const emulator = await startSlackEmulator({ subscribedEvents: manifestBotEvents() });
    const llm = await startFakeLlm();
    cleanups.push(() => emulator.stop(), () => llm.close());
    const first = await startHarness({ reuse: { emulator, llm } });
    await first.pulse.stop();
    const { bob } = emulator.seed;
    const [asked] = emulator.seedHistory(emulator.imChannel(bob.id), [{ user: bob.id, text: 'the question that crashes' }]);
    const ref = asked as { channel: string; ts: string };
    const database = openDatabase(first.config.databasePath);
    const store = createQuestionStore(database.db);
    const record = store.recordIfNew({
      teamId: emulator.workspace.team.id,
      dedupeKey: messageDedupeKey(ref.channel, ref.ts),
      source: 'dm',
      userId: bob.id,
      channelId: ref.channel,
      messageTs: ref.ts,
      threadTs: ref.ts,
      replyChannelId: ref.channel,
      replyThreadTs: ref.ts,
      statusTs: ref.ts,
    });
    store.markAnswering(record?.id as number);
    store.markAnswering(record?.id as number);
    database.close();

    harness = await startHarness({ reuse: { emulator, llm, dataDir: first.dataDir } });

    await emulator.waitFor(() => sameReactions(emulator.reactions(ref), { x: [emulator.botUserId] }), { what: '❌' });
    expect(emulator.botReplies(ref).map((reply) => reply.text)).toEqual([GAVE_UP_NOTICE]);
    expect(llm.requests).toHaveLength(0);
  });

  it('a question interrupted too long ago is failed visibly instead of answered late', async () => {
    const emulator = await startSlackEmulator({ subscribedEvents: manifestBotEvents() });
    const llm = await startFakeLlm();
    cleanups.push(() => emulator.stop(), () => llm.close());
    const first = await startHarness({ reuse: { emulator, llm } });
    const dataDir = first.dataDir;
    await first.pulse.stop();
    const { alice } = emulator.seed;
    const [old] = emulator.seedHistory(emulator.imChannel(alice.id), [{ user: alice.id, text: 'asked before the crash' }]);
    const ref = old as { channel: string; ts: string };
    emulator.workspace.addReaction(ref.channel, ref.ts, 'eyes', emulator.botUserId);
    const database = openDatabase(first.config.databasePath);
    createQuestionStore(database.db, () => new Date(Date.now() - 2 * 60 * 60_000)).recordIfNew({
      teamId: emulator.workspace.team.id,
      dedupeKey: messageDedupeKey(ref.channel, ref.ts),
      source: 'dm',
      userId: alice.id,
      channelId: ref.channel,
      messageTs: ref.ts,
      threadTs: ref.ts,
      replyChannelId: ref.channel,
      replyThreadTs: ref.ts,
      statusTs: ref.ts,
    });
    database.close();

    harness = await startHarness({ reuse: { emulator, llm, dataDir } });

    await emulator.waitFor(() => sameReactions(emulator.reactions(ref), { x: [emulator.botUserId] }), { what: '❌' });
    expect(emulator.botReplies(ref).map((reply) => reply.text)).toEqual([TOO_OLD_NOTICE]);
    expect(llm.requests).toHaveLength(0);
  });
});
