/**
 * Posting, editing, streaming and reacting through the real WebClient, with
 * Slack's errors where Slack refuses.
 */
import type { WebAPIPlatformError, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../src/emulator/driver.ts';
import { botClient, startEmulator, stopEmulators } from './support/real-clients.ts';

let emulator: SlackEmulator;
let client: WebClient;

beforeEach(async () => {
  emulator = await startEmulator();
  client = botClient(emulator);
});
afterEach(stopEmulators);

async function slackError(call: Promise<unknown>): Promise<string | undefined> {
  const error = (await call.then(
    () => undefined,
    (caught: unknown) => caught,
  )) as WebAPIPlatformError | undefined;
  return error?.data.error;
}

describe('reactions', () => {
  it('add and remove the bot’s reaction, names with or without colons', async () => {
    const question = emulator.dm(emulator.seed.alice.id, 'status?');
    await client.reactions.add({ channel: question.channel, timestamp: question.ts, name: ':eyes:' });
    await client.reactions.add({ channel: question.channel, timestamp: question.ts, name: 'white_check_mark' });
    await client.reactions.remove({ channel: question.channel, timestamp: question.ts, name: 'eyes' });
    expect(emulator.reactions(question)).toEqual({ white_check_mark: [emulator.botUserId] });
  });

  it('answer already_reacted to a second identical reaction and no_reaction to removing one that is not there', async () => {
    const question = emulator.dm(emulator.seed.alice.id, 'status?');
    await client.reactions.add({ channel: question.channel, timestamp: question.ts, name: 'eyes' });

    expect(await slackError(client.reactions.add({ channel: question.channel, timestamp: question.ts, name: 'eyes' }))).toBe('already_reacted');
    expect(await slackError(client.reactions.remove({ channel: question.channel, timestamp: question.ts, name: 'x' }))).toBe('no_reaction');
    expect(emulator.reactions(question)).toEqual({ eyes: [emulator.botUserId] });
  });

  it('answer message_not_found for a ts with no message', async () => {
    const question = emulator.dm(emulator.seed.alice.id, 'status?');
    expect(await slackError(client.reactions.add({ channel: question.channel, timestamp: '1000000000.000001', name: 'eyes' }))).toBe('message_not_found');
  });
});

describe('chat.postMessage', () => {
  it('with a user id as channel posts into that user’s DM with the bot', async () => {
    const posted = await client.chat.postMessage({ channel: emulator.seed.bob.id, text: 'Your weekly report' });

    const dm = emulator.imChannel(emulator.seed.bob.id);
    expect(posted.channel).toBe(dm);
    expect(dm).toMatch(/^D/);
    expect(emulator.messages(dm).map((message) => message.text)).toEqual(['Your weekly report']);
  });

  it('answers not_in_channel in a public channel the bot has not joined', async () => {
    expect(await slackError(client.chat.postMessage({ channel: emulator.seed.random.id, text: 'hi' }))).toBe('not_in_channel');
    expect(emulator.messages(emulator.seed.random.id)).toEqual([]);
  });

  it('answers thread_ts replies in the thread’s root even when given a reply’s ts', async () => {
    const root = emulator.post(emulator.seed.alice.id, emulator.seed.general.id, 'root');
    const reply = emulator.post(emulator.seed.bob.id, emulator.seed.general.id, 'reply', { threadTs: root.ts });
    const posted = await client.chat.postMessage({ channel: emulator.seed.general.id, thread_ts: reply.ts, text: 'answer' });
    expect(posted.message).toMatchObject({ thread_ts: root.ts, parent_user_id: emulator.seed.alice.id });
  });

  it('refuses text together with markdown_text', async () => {
    expect(await slackError(client.chat.postMessage({ channel: emulator.seed.general.id, text: 'a', markdown_text: '**a**' } as never))).toBe(
      'markdown_text_conflict',
    );
  });
});

describe('chat.update', () => {
  it('edits the bot’s message, marked as edited by the bot', async () => {
    const posted = await client.chat.postMessage({ channel: emulator.seed.general.id, text: 'Thinking…' });
    const updated = await client.chat.update({ channel: emulator.seed.general.id, ts: posted.ts as string, text: 'Done' });

    expect(updated).toMatchObject({ channel: emulator.seed.general.id, ts: posted.ts, text: 'Done' });
    const [message] = emulator.messages(emulator.seed.general.id);
    expect(message?.text).toBe('Done');
    expect(message?.edited?.user).toBe(emulator.workspace.bot.botId);
  });

  it('accepts 4,000 characters and answers msg_too_long past them, leaving the message as it was', async () => {
    const posted = await client.chat.postMessage({ channel: emulator.seed.general.id, text: 'short' });
    await expect(client.chat.update({ channel: emulator.seed.general.id, ts: posted.ts as string, text: 'a'.repeat(4_000) })).resolves.toMatchObject({ ok: true });

    expect(await slackError(client.chat.update({ channel: emulator.seed.general.id, ts: posted.ts as string, text: 'b'.repeat(4_001) }))).toBe('msg_too_long');
    expect(emulator.messages(emulator.seed.general.id)[0]?.text).toBe('a'.repeat(4_000));
  });

  it('answers cant_update_message for someone else’s message', async () => {
    const theirs = emulator.post(emulator.seed.alice.id, emulator.seed.general.id, 'mine');
    expect(await slackError(client.chat.update({ channel: theirs.channel, ts: theirs.ts, text: 'edited' }))).toBe('cant_update_message');
  });
});

describe('chat streaming', () => {
  it('startStream, appendStream and stopStream make one message with the concatenated text', async () => {
    const question = emulator.dm(emulator.seed.alice.id, 'stream it');
    const started = await client.chat.startStream({ channel: question.channel, thread_ts: question.ts, markdown_text: 'Deploys ' });
    await client.chat.appendStream({ channel: question.channel, ts: started.ts as string, markdown_text: 'went up ' });
    const stopped = await client.chat.stopStream({ channel: question.channel, ts: started.ts as string, markdown_text: '12%.' });

    const replies = emulator.botReplies(question);
    expect(replies.map((reply) => reply.text)).toEqual(['Deploys went up 12%.']);
    expect(stopped.message).toMatchObject({ ts: started.ts, text: 'Deploys went up 12%.', thread_ts: question.ts });
  });

  it('works through the SDK’s chatStream helper, which sends chunks', async () => {
    const question = emulator.mention(emulator.seed.bob.id, emulator.seed.general.id, 'stream it');
    const streamer = client.chatStream({
      channel: question.channel,
      thread_ts: question.ts,
      recipient_user_id: emulator.seed.bob.id,
      recipient_team_id: emulator.workspace.team.id,
      buffer_size: 8,
    });
    for (const piece of ['Deploys ', 'went ', 'up ', '12%']) await streamer.append({ markdown_text: piece });
    await streamer.stop({ markdown_text: '.' });

    expect(emulator.botReplies(question).map((reply) => reply.text)).toEqual(['Deploys went up 12%.']);
  });

  it('refuses appends after the stream stopped', async () => {
    const question = emulator.dm(emulator.seed.alice.id, 'stream it');
    const started = await client.chat.startStream({ channel: question.channel, thread_ts: question.ts });
    await client.chat.stopStream({ channel: question.channel, ts: started.ts as string, markdown_text: 'Done.' });
    expect(await slackError(client.chat.appendStream({ channel: question.channel, ts: started.ts as string, markdown_text: 'late' }))).toBe(
      'message_not_in_streaming_state',
    );
  });
});
