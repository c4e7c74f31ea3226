/**
 * Slack's 12,000-character limit on streamed Markdown (docs/slack-protocol.md,
 * "Limits and formatting"), per call and per message, through the real
 * WebClient: what does not fit is refused with msg_too_long and changes nothing.
 */
import { WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackEmulator, type MessageRef, type SlackEmulator } from '../../src/emulator/driver.ts';
import { silentLogger } from './support/real-clients.ts';

/** Slack's markdown_text limit per streamed message. */
const LIMIT = 12_000;

let emulator: SlackEmulator;
let client: WebClient;

beforeEach(async () => {
  emulator = await startSlackEmulator();
  client = new WebClient(emulator.botToken, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 }, logger: silentLogger });
});
afterEach(async () => {
  await emulator.stop();
});

async function slackError(call: Promise<unknown>): Promise<string | undefined> {
  const error = (await call.then(
    () => undefined,
    (caught: unknown) => caught,
  )) as WebAPIPlatformError | undefined;
  return error?.data.error;
}

/** `length` copies of `letter`: different letters show whose text a message holds. */
function markdownOf(length: number, letter = 'a'): string {
  return letter.repeat(length);
}

function askInDm(): MessageRef {
  return emulator.dm(emulator.seed.alice.id, 'Give me everything');
}

async function startStream(question: MessageRef, markdown?: string): Promise<string> {
  const started = await client.chat.startStream({
    channel: question.channel,
    thread_ts: question.ts,
    ...(markdown !== undefined ? { markdown_text: markdown } : {}),
  });
  return started.ts as string;
}

function replyTexts(question: MessageRef): string[] {
  return emulator.botReplies(question).map((message) => message.text);
}

describe('chat.startStream', () => {
  it('accepts markdown_text of exactly 12,000 characters', async () => {
    const question = askInDm();
    await startStream(question, markdownOf(LIMIT));
    expect(replyTexts(question)).toEqual([markdownOf(LIMIT)]);
  });

  it('answers msg_too_long for 12,001 characters of markdown_text and posts nothing', async () => {
    const question = askInDm();
    expect(await slackError(startStream(question, markdownOf(LIMIT + 1)))).toBe('msg_too_long');
    expect(emulator.botReplies(question)).toEqual([]);
  });

  it('answers msg_too_long when the markdown_text chunks of one call add up to more than 12,000 characters', async () => {
    const question = askInDm();
    const chunks = [
      { type: 'markdown_text' as const, text: markdownOf(6_000) },
      { type: 'markdown_text' as const, text: markdownOf(6_001, 'b') },
    ];
    expect(await slackError(client.chat.startStream({ channel: question.channel, thread_ts: question.ts, chunks }))).toBe('msg_too_long');
    expect(emulator.botReplies(question)).toEqual([]);
  });
});

describe('chat.appendStream', () => {
  it('answers msg_too_long for one call of more than 12,000 characters, even to an empty stream', async () => {
    const question = askInDm();
    const ts = await startStream(question);
    expect(await slackError(client.chat.appendStream({ channel: question.channel, ts, markdown_text: markdownOf(LIMIT + 1) }))).toBe(
      'msg_too_long',
    );
    expect(replyTexts(question)).toEqual(['']);
  });

  it('fills a message up to exactly 12,000 characters across calls', async () => {
    const question = askInDm();
    const ts = await startStream(question, markdownOf(5_000));
    await client.chat.appendStream({ channel: question.channel, ts, markdown_text: markdownOf(5_000, 'b') });
    await client.chat.appendStream({ channel: question.channel, ts, markdown_text: markdownOf(2_000, 'c') });
    expect(replyTexts(question)[0]).toHaveLength(LIMIT);
  });

  it('answers msg_too_long when the message would outgrow 12,000 characters, keeps its text and stays open', async () => {
    const question = askInDm();
    const ts = await startStream(question, markdownOf(8_000));
    await client.chat.appendStream({ channel: question.channel, ts, markdown_text: markdownOf(3_000, 'b') });

    expect(await slackError(client.chat.appendStream({ channel: question.channel, ts, markdown_text: markdownOf(1_001, 'c') }))).toBe(
      'msg_too_long',
    );
    expect(replyTexts(question)).toEqual([markdownOf(8_000) + markdownOf(3_000, 'b')]);

    // What still fits is taken: the refusal did not end the stream.
    await client.chat.appendStream({ channel: question.channel, ts, markdown_text: markdownOf(1_000, 'c') });
    expect(replyTexts(question)[0]).toHaveLength(LIMIT);
    expect(emulator.botReplies(question)[0]?.streaming).toBe(true);
  });

  it('counts chunks sent by the SDK’s chatStream helper towards the same limit', async () => {
    const question = askInDm();
    const streamer = client.chatStream({ channel: question.channel, thread_ts: question.ts, buffer_size: 1 });
    await streamer.append({ markdown_text: markdownOf(LIMIT) });
    expect(await slackError(streamer.append({ markdown_text: 'one more' }))).toBe('msg_too_long');
    expect(replyTexts(question)).toEqual([markdownOf(LIMIT)]);
  });
});

describe('chat.stopStream', () => {
  it('takes a closing markdown_text that fills the message to exactly 12,000 characters', async () => {
    const question = askInDm();
    const ts = await startStream(question, markdownOf(LIMIT - 1));
    const stopped = await client.chat.stopStream({ channel: question.channel, ts, markdown_text: '.' });
    expect(stopped.message?.text).toHaveLength(LIMIT);
    expect(emulator.botReplies(question)[0]?.streaming).toBeFalsy();
  });

  it('answers msg_too_long for a closing markdown_text that does not fit, leaving the stream open to stop again', async () => {
    const question = askInDm();
    const ts = await startStream(question, markdownOf(11_990));

    expect(await slackError(client.chat.stopStream({ channel: question.channel, ts, markdown_text: markdownOf(11, 'z') }))).toBe('msg_too_long');
    expect(replyTexts(question)).toEqual([markdownOf(11_990)]);
    expect(emulator.botReplies(question)[0]?.streaming).toBe(true);

    await client.chat.stopStream({ channel: question.channel, ts, markdown_text: markdownOf(10, 'z') });
    expect(replyTexts(question)[0]).toHaveLength(LIMIT);
    expect(emulator.botReplies(question)[0]?.streaming).toBeFalsy();
  });

  it('answers msg_too_long for one closing call of more than 12,000 characters', async () => {
    const question = askInDm();
    const ts = await startStream(question);
    expect(await slackError(client.chat.stopStream({ channel: question.channel, ts, markdown_text: markdownOf(LIMIT + 1) }))).toBe('msg_too_long');
    expect(emulator.botReplies(question)[0]?.streaming).toBe(true);
  });
});

describe('the limit is per message', () => {
  it('lets a long answer continue in a new streamed message of the same thread', async () => {
    const question = askInDm();
    const first = await startStream(question, markdownOf(LIMIT));
    await client.chat.stopStream({ channel: question.channel, ts: first });
    const second = await startStream(question, markdownOf(LIMIT, 'b'));
    await client.chat.stopStream({ channel: question.channel, ts: second });

    expect(replyTexts(question)).toEqual([markdownOf(LIMIT), markdownOf(LIMIT, 'b')]);
  });
});
