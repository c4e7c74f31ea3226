import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../src/emulator/driver.ts';
import { createStreamAnswerWriter } from '../../src/slack/reply/answer-writers/stream-answer-writer.ts';
import { StreamingAvailability } from '../../src/slack/reply/answer-writers/streaming-availability.ts';
import { INTERRUPTED_NOTE } from '../../src/slack/reply/answer-writers/sync-answer-messages.ts';
import {
  ANSWER_UPDATE_INTERVAL_MS,
  THINKING_PLACEHOLDER,
  createUpdateAnswerWriter,
  renderAnswerChunks,
} from '../../src/slack/reply/answer-writers/update-answer-writer.ts';
import { askQuestion, feedProgress, longAnswer, secondsSince, type WriterScene } from './support/answer-writer-fixtures.ts';

/**
 * Tolerated when checking the spacing of throttled calls, measured as they
 * leave the client: the throttle spaces the starts of redraws, and rendering
 * before the call takes a few milliseconds more or less each time.
 */
const TIMER_SLACK_MS = 50;

let emulator: SlackEmulator;
beforeEach(async () => {
  emulator = await startSlackEmulator({ subscribedEvents: [] });
});
afterEach(async () => {
  await emulator.stop();
});

function textsOf(method: string): string[] {
  return emulator.callsTo(method).map((call) => String(call.params.text ?? call.params.markdown_text ?? ''));
}

function streamWriter(scene: WriterScene, options: { messageCharLimit?: number; availability?: StreamingAvailability } = {}) {
  return createStreamAnswerWriter(
    { ...scene, appendIntervalMs: 100, updateIntervalMs: 100, availability: new StreamingAvailability(), ...options },
    scene.target,
  );
}

describe('the update writer', () => {
  it('posts at the first token, redraws at most once a second with the newest text, and ends exactly on the final answer', async () => {
    const scene = askQuestion(emulator);
    const writer = createUpdateAnswerWriter(scene, scene.target);
    const answer = longAnswer(8);
    const started = performance.now();

    await feedProgress(writer, answer, { steps: 50, overMs: 2_500 });
    const ts = await writer.finish(answer);
    const elapsed = secondsSince(started);

    expect(scene.answerTexts()).toEqual(renderAnswerChunks(answer));
    expect(ts).toBe(scene.answers()[0]?.ts);
    expect(emulator.callsTo('chat.postMessage')).toHaveLength(1);
    const updates = textsOf('chat.update');
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(updates.length).toBeLessThanOrEqual(Math.floor(elapsed) + 1);
    // Every redraw but finish's waited out the interval since the previous one, and each showed more than the last.
    for (const gap of scene.client.gapsBetween('chat.postMessage', 'chat.update').slice(0, -1)) {
      expect(gap).toBeGreaterThanOrEqual(ANSWER_UPDATE_INTERVAL_MS - TIMER_SLACK_MS);
    }
    for (const [index, text] of updates.entries()) if (index > 0) expect(text.length).toBeGreaterThan(updates[index - 1]!.length);
  });

  it('continues a long answer in new messages of the thread, in order, each within the update limit', async () => {
    const scene = askQuestion(emulator);
    const writer = createUpdateAnswerWriter({ ...scene, updateIntervalMs: 100 }, scene.target);
    const answer = longAnswer(40);

    await feedProgress(writer, answer, { steps: 40, overMs: 1_200 });
    await sleep(250);
    const shownWhileWriting = scene.answerTexts().length;
    await writer.finish(answer);

    const expected = renderAnswerChunks(answer);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(shownWhileWriting).toBeGreaterThanOrEqual(expected.length - 1);
    expect(scene.answerTexts()).toEqual(expected);
    for (const text of textsOf('chat.update')) expect(text.length).toBeLessThanOrEqual(4_000);
  });

  it('deletes the messages a shorter final answer no longer needs', async () => {
    const scene = askQuestion(emulator);
    const writer = createUpdateAnswerWriter({ ...scene, updateIntervalMs: 50 }, scene.target);
    await feedProgress(writer, longAnswer(20), { steps: 10, overMs: 400 });
    await sleep(150);
    expect(scene.answerTexts().length).toBeGreaterThanOrEqual(2);

    await writer.finish('On reflection: **deploys rose 12%**.');

    expect(scene.answerTexts()).toEqual(['On reflection: *deploys rose 12%*.']);
    expect(emulator.callsTo('chat.delete').length).toBeGreaterThanOrEqual(1);
  });

  it('marks the partial answer as interrupted when the answer is abandoned', async () => {
    const scene = askQuestion(emulator);
    const writer = createUpdateAnswerWriter({ ...scene, updateIntervalMs: 50 }, scene.target);
    const partial = 'Deploys rose **12%** and then';
    await feedProgress(writer, partial, { steps: 5, overMs: 200 });

    await writer.abandon();

    expect(scene.answerTexts()).toEqual([`${renderAnswerChunks(partial)[0]}\n\n${INTERRUPTED_NOTE}`]);
  });

  it('removes the placeholder when an answer that said nothing yet is abandoned', async () => {
    const scene = askQuestion(emulator);
    const writer = createUpdateAnswerWriter({ ...scene, updateIntervalMs: 50 }, scene.target);
    writer.progress('  \n');
    await emulator.waitFor(() => scene.answerTexts()[0] === THINKING_PLACEHOLDER, { what: 'the placeholder' });

    await writer.abandon();

    expect(scene.answerTexts()).toEqual([]);
  });

  it('posts like the post writer when no progress came', async () => {
    const scene = askQuestion(emulator);
    const writer = createUpdateAnswerWriter(scene, scene.target);
    const answer = longAnswer(15);

    await writer.finish(answer);

    expect(scene.answerTexts()).toEqual(renderAnswerChunks(answer));
    expect(emulator.callsTo('chat.update')).toHaveLength(0);
  });
});

describe('the stream writer', () => {
  it('streams to the asker in a channel, appending at most once per interval, and stops with the exact answer', async () => {
    const scene = askQuestion(emulator, { channel: emulator.seed.general.id });
    const writer = streamWriter(scene);
    const answer = longAnswer(6);
    const started = performance.now();

    await feedProgress(writer, answer, { steps: 30, overMs: 1_500 });
    await writer.finish(answer);
    const elapsed = secondsSince(started);

    expect(scene.answerTexts()).toEqual([answer]);
    expect(scene.answers()[0]?.streaming).toBeFalsy();
    const [start] = emulator.callsTo('chat.startStream');
    expect(start?.params).toMatchObject({ recipient_user_id: emulator.seed.alice.id, recipient_team_id: emulator.workspace.team.id });
    expect(emulator.callsTo('chat.stopStream')).toHaveLength(1);
    const appends = emulator.callsTo('chat.appendStream').length;
    expect(appends).toBeGreaterThanOrEqual(3);
    expect(appends).toBeLessThanOrEqual(elapsed / 0.1 + 1);
    for (const gap of scene.client.gapsBetween('chat.appendStream')) expect(gap).toBeGreaterThanOrEqual(100 - TIMER_SLACK_MS);
    expect(emulator.callsTo('chat.update')).toHaveLength(0);
  });

  it('holds a table back until it is complete, then streams it as a code block', async () => {
    const scene = askQuestion(emulator);
    const writer = streamWriter(scene);
    const intro = 'Here are the numbers.\n\n| team | deploys |\n|---|--:|\n| web | 12 |\n';
    const answer = `${intro}| api | 7 |\n\nWeb led the week.`;

    await feedProgress(writer, intro, { steps: 20, overMs: 400 });
    await sleep(300);
    expect(scene.answerTexts()).toEqual(['Here are the numbers.\n\n']);
    writer.progress(answer);
    await writer.finish(answer);

    const table = '```\nteam | deploys\n-----+--------\nweb  |      12\napi  |       7\n```';
    expect(scene.answerTexts()).toEqual([`Here are the numbers.\n\n${table}\n\nWeb led the week.`]);
    for (const piece of [...textsOf('chat.startStream'), ...textsOf('chat.appendStream'), ...textsOf('chat.stopStream')]) {
      expect(piece).not.toMatch(/\|\s*-|\| team/);
    }
  });

  it('corrects the streamed text when the final answer differs from it', async () => {
    const scene = askQuestion(emulator);
    const writer = streamWriter(scene);
    await feedProgress(writer, 'Revenue grew 5% in Q3, mostly from', { steps: 6, overMs: 300 });
    await emulator.waitFor(() => scene.answerTexts().length === 1, { what: 'the stream' });

    const final = 'Revenue grew **7%** in Q3, driven by renewals.';
    await writer.finish(final);

    expect(scene.answerTexts()).toEqual(renderAnswerChunks(final));
    expect(emulator.callsTo('chat.stopStream')).toHaveLength(1);
    expect(scene.answers()[0]?.streaming).toBeFalsy();
  });

  it('continues in a new message when one is full, closing and reopening a code block cut by the break', async () => {
    const scene = askQuestion(emulator);
    const writer = streamWriter(scene, { messageCharLimit: 300 });
    const code = Array.from({ length: 30 }, (_unused, index) => `SELECT count(*) FROM t${index};`).join('\n');
    const answer = `${longAnswer(2)}\n\n\`\`\`sql\n${code}\n\`\`\`\n\n${longAnswer(2)}`;

    await feedProgress(writer, answer, { steps: 25, overMs: 1_000 });
    await writer.finish(answer);

    const texts = scene.answerTexts();
    expect(texts.length).toBeGreaterThanOrEqual(5);
    for (const text of texts) {
      expect(text.length).toBeLessThanOrEqual(300);
      expect(text.split('\n').filter((line) => line.startsWith('```')).length % 2).toBe(0);
    }
    const words = (text: string) => text.split(/\s+/).filter((word) => word !== '' && !word.startsWith('```'));
    expect(words(texts.join('\n'))).toEqual(words(answer));
    expect(scene.answers().every((message) => !message.streaming)).toBe(true);
  });

  it('falls back to updates when Slack refuses streaming, and skips the refused call for later answers', async () => {
    const availability = new StreamingAvailability();
    emulator.faults.error('chat.startStream', 'unknown_method', { times: 1 });
    const first = askQuestion(emulator);
    const answer = longAnswer(16);
    const writer = streamWriter(first, { availability });

    await feedProgress(writer, answer, { steps: 20, overMs: 800 });
    await writer.finish(answer);

    expect(first.answerTexts()).toEqual(renderAnswerChunks(answer));
    expect(emulator.callsTo('chat.update').length).toBeGreaterThanOrEqual(1);
    expect(first.logs.filter((line) => line.includes('refused chat.startStream'))).toHaveLength(1);

    const second = askQuestion(emulator);
    const again = streamWriter(second, { availability });
    await feedProgress(again, 'Still **no** streaming.', { steps: 3, overMs: 100 });
    await again.finish('Still **no** streaming.');
    expect(second.answerTexts()).toEqual(['Still *no* streaming.']);
    expect(emulator.callsTo('chat.startStream')).toHaveLength(1);
  });

  it('reports any other streaming error from finish()', async () => {
    emulator.faults.error('chat.startStream', 'channel_not_found', { times: 1 });
    const scene = askQuestion(emulator);
    const writer = streamWriter(scene);
    await feedProgress(writer, 'Some answer', { steps: 3, overMs: 100 });

    await expect(writer.finish('Some answer')).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    expect(emulator.callsTo('chat.update')).toHaveLength(0);
  });

  it('marks the streamed text as interrupted when the answer is abandoned', async () => {
    const scene = askQuestion(emulator);
    const writer = streamWriter(scene);
    await feedProgress(writer, 'Deploys rose **12%** and then', { steps: 4, overMs: 200 });
    await emulator.waitFor(() => scene.answerTexts().length === 1, { what: 'the stream' });

    await writer.abandon();

    expect(scene.answerTexts()).toEqual([`Deploys rose **12%** and then\n\n${INTERRUPTED_NOTE}`]);
    expect(scene.answers()[0]?.streaming).toBeFalsy();
  });
});
