import { afterEach, describe, expect, it } from 'vitest';
import type { AnswerDelivery } from '../../src/config.ts';
import { prepareStreamMarkdown } from '../../src/slack/reply/answer-writers/stream-markdown.ts';
import { renderAnswerChunks } from '../../src/slack/reply/answer-writers/update-answer-writer.ts';
import { sameReactions, startHarness, type Harness } from '../support/pulse-harness.ts';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** Spread over the fake model's four content chunks, so the table usually arrives in pieces. */
const LONG_ANSWER = [
  '# Weekly engineering summary',
  ...Array.from(
    { length: 14 },
    (_unused, index) =>
      `**Team ${index + 1}** shipped ${index + 3} changes this week. Reviews took a median of ${index + 2} hours, ` +
      'two flaky tests were quarantined, and the on-call load stayed flat compared with last week, ' +
      'which leaves room to pay down the alerting debt we discussed at the planning meeting.',
  ),
  '| team | deploys | incidents |\n|---|--:|--:|\n| web | 12 | 1 |\n| api | 7 | 0 |\n| data | 4 | 2 |',
  ...Array.from(
    { length: 6 },
    (_unused, index) =>
      `- Follow-up ${index + 1}: check the _deploy dashboard_ and the incident review notes before Friday's sync.`,
  ),
].join('\n\n');

/** What each mode leaves in the thread: standard Markdown when streamed (tables as code), mrkdwn chunks otherwise. */
function expectedMessages(delivery: AnswerDelivery): string[] {
  return delivery === 'stream' ? [prepareStreamMarkdown(LONG_ANSWER, { complete: true })] : renderAnswerChunks(LONG_ANSWER);
}

/** The Slack methods each mode must use for the answer, and the ones it must not. */
const METHODS: Record<AnswerDelivery, { used: string[]; unused: string[] }> = {
  stream: { used: ['chat.startStream', 'chat.appendStream', 'chat.stopStream'], unused: ['chat.update'] },
  update: { used: ['chat.postMessage', 'chat.update'], unused: ['chat.startStream'] },
  post: { used: ['chat.postMessage'], unused: ['chat.update', 'chat.startStream', 'chat.appendStream'] },
};

describe('answer delivery', () => {
  it.each(['stream', 'update', 'post'] as const)(
    'with ANSWER_DELIVERY=%s, a DM gets the whole long answer in its thread, then ✅',
    async (delivery) => {
      harness = await startHarness({ env: { ANSWER_DELIVERY: delivery } });
      const { emulator, llm } = harness;
      // Slow enough between chunks for throttled appends and updates to happen while the model writes.
      llm.script({ reply: LONG_ANSWER, chunkDelayMs: 300 });

      const question = emulator.dm(emulator.seed.alice.id, 'Give me the weekly engineering summary');

      await emulator.waitFor(
        () => sameReactions(emulator.reactions(question), { white_check_mark: [emulator.botUserId] }),
        { what: '✅ alone on the question', timeoutMs: 15_000 },
      );
      const replies = emulator.botReplies(question);
      expect(replies.map((message) => message.text)).toEqual(expectedMessages(delivery));
      expect(replies.every((message) => message.threadTs === question.ts && !message.streaming)).toBe(true);
      for (const method of METHODS[delivery].used) expect(emulator.callsTo(method).length, method).toBeGreaterThan(0);
      for (const method of METHODS[delivery].unused) expect(emulator.callsTo(method), method).toHaveLength(0);
      // The one-time welcome is a top-level post; the answer's posts are in the thread.
      if (delivery === 'post') {
        expect(emulator.callsTo('chat.postMessage').filter((call) => call.params.thread_ts)).toHaveLength(replies.length);
      }
    },
  );
});
