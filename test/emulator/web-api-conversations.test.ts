/**
 * conversations.history / replies / list and users.list through the real
 * WebClient: ordering, bounds and cursor pagination as Slack does them.
 */
import { ErrorCode, type WebAPIPlatformError, type WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageRef, SlackEmulator } from '../../src/emulator/driver.ts';
import { botClient, startEmulator, stopEmulators } from './support/real-clients.ts';

let emulator: SlackEmulator;
let client: WebClient;

beforeEach(async () => {
  emulator = await startEmulator();
  client = botClient(emulator);
});
afterEach(stopEmulators);

type Message = { ts?: string; text?: string; thread_ts?: string; reply_count?: number };

function postMany(channel: string, count: number, options: { threadTs?: string; prefix?: string } = {}): MessageRef[] {
  return Array.from({ length: count }, (_, index) =>
    emulator.post(emulator.seed.alice.id, channel, `${options.prefix ?? 'message'} ${index + 1}`, options.threadTs ? { threadTs: options.threadTs } : {}),
  );
}

async function platformError(call: Promise<unknown>): Promise<string | undefined> {
  const error = (await call.then(
    () => undefined,
    (caught: unknown) => caught,
  )) as WebAPIPlatformError | undefined;
  expect(error?.code).toBe(ErrorCode.PlatformError);
  return error?.data.error;
}

describe('conversations.history', () => {
  it('lists top-level messages newest first, leaving thread replies in their threads', async () => {
    const [first, second] = postMany(emulator.seed.general.id, 3);
    emulator.post(emulator.seed.bob.id, emulator.seed.general.id, 'a reply', { threadTs: first?.ts as string });
    emulator.post(emulator.seed.bob.id, emulator.seed.general.id, 'another reply', { threadTs: second?.ts as string });

    const page = await client.conversations.history({ channel: emulator.seed.general.id });

    expect((page.messages as Message[]).map((message) => message.text)).toEqual(['message 3', 'message 2', 'message 1']);
    expect((page.messages as Message[]).find((message) => message.text === 'message 1')).toMatchObject({ thread_ts: first?.ts, reply_count: 1 });
    expect(page.has_more).toBe(false);
  });

  it('pages with limit and cursor until has_more is false, each message once', async () => {
    postMany(emulator.seed.general.id, 7);
    const pages: Message[][] = [];
    const hasMore: boolean[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.conversations.history({ channel: emulator.seed.general.id, limit: 3, ...(cursor ? { cursor } : {}) });
      pages.push((page as unknown as { messages: Message[] }).messages);
      hasMore.push(page.has_more as boolean);
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);

    expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
    expect(hasMore).toEqual([true, true, false]);
    expect(pages.flat().map((message) => message.text)).toEqual([7, 6, 5, 4, 3, 2, 1].map((n) => `message ${n}`));
  });

  it('keeps only messages between oldest and latest, the bounds themselves only when inclusive', async () => {
    const refs = postMany(emulator.seed.general.id, 5);
    const bounds = { channel: emulator.seed.general.id, oldest: refs[1]?.ts as string, latest: refs[3]?.ts as string };

    const exclusive = await client.conversations.history(bounds);
    const inclusive = await client.conversations.history({ ...bounds, inclusive: true });

    expect((exclusive.messages as Message[]).map((message) => message.text)).toEqual(['message 3']);
    expect((inclusive.messages as Message[]).map((message) => message.text)).toEqual(['message 4', 'message 3', 'message 2']);
  });

  it('answers not_in_channel for a public channel the bot has not joined', async () => {
    emulator.post(emulator.seed.alice.id, emulator.seed.random.id, 'hello');
    expect(await platformError(client.conversations.history({ channel: emulator.seed.random.id }))).toBe('not_in_channel');
  });

  it('answers channel_not_found for an unknown channel and for a private channel the bot is not in', async () => {
    const secret = emulator.workspace.createConversation({ name: 'secret', kind: 'private', members: [emulator.seed.alice.id] });
    expect(await platformError(client.conversations.history({ channel: 'C0NOSUCHONE' }))).toBe('channel_not_found');
    expect(await platformError(client.conversations.history({ channel: secret.id }))).toBe('channel_not_found');
    expect(await platformError(client.conversations.replies({ channel: secret.id, ts: '1.000001' }))).toBe('channel_not_found');
  });
});

describe('conversations.replies', () => {
  it('returns the parent first, then the replies oldest to newest', async () => {
    const root = emulator.post(emulator.seed.bob.id, emulator.seed.general.id, 'the question');
    postMany(emulator.seed.general.id, 3, { threadTs: root.ts, prefix: 'reply' });

    const thread = await client.conversations.replies({ channel: emulator.seed.general.id, ts: root.ts });

    expect((thread.messages as Message[]).map((message) => message.text)).toEqual(['the question', 'reply 1', 'reply 2', 'reply 3']);
    expect((thread.messages as Message[])[0]).toMatchObject({ ts: root.ts, thread_ts: root.ts, reply_count: 3 });
    expect(thread.has_more).toBe(false);
  });

  it('pages a 300-reply thread with limit to its end, so the last 20 replies can be read', async () => {
    const root = emulator.post(emulator.seed.bob.id, emulator.seed.general.id, 'long thread');
    postMany(emulator.seed.general.id, 300, { threadTs: root.ts, prefix: 'reply' });

    const pages: Message[][] = [];
    for await (const page of client.paginate('conversations.replies', { channel: emulator.seed.general.id, ts: root.ts, limit: 100 })) {
      pages.push((page as unknown as { messages: Message[] }).messages);
      expect(pages.length).toBeLessThan(10);
    }

    expect(pages.length).toBeGreaterThan(1);
    expect(pages[0]?.[0]?.text).toBe('long thread');
    // Slack may repeat the parent at the top of later pages; everything else appears exactly once, in order.
    const replies = pages.flat().filter((message) => message.ts !== root.ts);
    expect(replies.map((message) => message.text)).toEqual(Array.from({ length: 300 }, (_, index) => `reply ${index + 1}`));
    expect(replies.slice(-20).map((message) => message.text)).toEqual(Array.from({ length: 20 }, (_, index) => `reply ${281 + index}`));
  });

  it('answers thread_not_found for a ts that is not a message in the channel', async () => {
    expect(await platformError(client.conversations.replies({ channel: emulator.seed.general.id, ts: '1111111111.000001' }))).toBe('thread_not_found');
  });
});

describe('list pagination', () => {
  it('conversations.list pages through every channel, ending with next_cursor ""', async () => {
    for (const name of ['eng', 'ops', 'sales', 'design']) emulator.workspace.createConversation({ name, members: [emulator.seed.alice.id] });
    const names: string[] = [];
    const cursors: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.conversations.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      names.push(...(page.channels ?? []).map((channel) => channel.name as string));
      cursors.push(page.response_metadata?.next_cursor as string);
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);

    expect(names.sort()).toEqual(['design', 'eng', 'general', 'ops', 'random', 'sales']);
    expect(cursors.at(-1)).toBe('');
    expect(cursors.slice(0, -1).every((value) => value.length > 0)).toBe(true);
  });

  it('conversations.list shows private channels only to members', async () => {
    const page = await client.conversations.list({ types: 'public_channel,private_channel' });
    expect((page.channels ?? []).map((channel) => channel.name).sort()).toEqual(['general', 'leads', 'random']);
    emulator.workspace.createConversation({ name: 'hidden', kind: 'private', members: [emulator.seed.alice.id] });
    const again = await client.conversations.list({ types: 'private_channel' });
    expect((again.channels ?? []).map((channel) => channel.name)).toEqual(['leads']);
  });

  it('users.list pages through every user with the SDK paginator, the last page ending with next_cursor ""', async () => {
    const lastCursors: string[] = [];
    const names: string[] = [];
    for await (const page of client.paginate('users.list', { limit: 2 })) {
      names.push(...(page as unknown as { members: { name: string }[] }).members.map((member) => member.name));
      lastCursors.push((page.response_metadata as { next_cursor: string }).next_cursor);
    }
    expect(names.sort()).toEqual(['ada', 'alice', 'bob', 'pulse']);
    expect(lastCursors).toHaveLength(2);
    expect(lastCursors.at(-1)).toBe('');
  });

  it('rejects a cursor it never issued with invalid_cursor', async () => {
    expect(await platformError(client.conversations.list({ cursor: 'bm90LWEtY3Vyc29y' }))).toBe('invalid_cursor');
  });
});
