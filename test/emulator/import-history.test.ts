/**
 * History imported at chosen timestamps, read back through the real
 * WebClient: Slack's order, thread bookkeeping, pagination, bounds, archived
 * channels, and the channel listings an analytics sync walks.
 */
import { ErrorCode, type WebAPIPlatformError, type WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HistoryMessage, SlackEmulator } from '../../src/emulator/driver.ts';
import { compareTs } from '../../src/emulator/ids.ts';
import { botClient, startEmulator, stopEmulators } from './support/real-clients.ts';

let emulator: SlackEmulator;
let client: WebClient;

beforeEach(async () => {
  emulator = await startEmulator();
  client = botClient(emulator);
});
afterEach(stopEmulators);

interface Message {
  ts: string;
  text?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  thread_ts?: string;
  parent_user_id?: string;
  reply_count?: number;
  reply_users?: string[];
  reply_users_count?: number;
  latest_reply?: string;
  reactions?: { name: string; users: string[]; count: number }[];
  edited?: { user: string; ts: string };
  files?: { id: string }[];
  client_msg_id?: string;
}

const BASE_SECONDS = 1_763_000_000;

/** A ts `seconds` after BASE_SECONDS with the given microseconds. */
function tsAt(seconds: number, micros = 0): string {
  return `${BASE_SECONDS + seconds}.${String(micros).padStart(6, '0')}`;
}

async function platformError(call: Promise<unknown>): Promise<string | undefined> {
  const error = (await call.then(
    () => undefined,
    (caught: unknown) => caught,
  )) as WebAPIPlatformError | undefined;
  expect(error?.code).toBe(ErrorCode.PlatformError);
  return error?.data.error;
}

async function historyPage(params: Record<string, unknown>): Promise<{ messages: Message[]; hasMore: boolean; cursor: string }> {
  const page = await client.conversations.history(params as never);
  return {
    messages: page.messages as Message[],
    hasMore: page.has_more === true,
    cursor: page.response_metadata?.next_cursor ?? '',
  };
}

async function wholeHistory(params: Record<string, unknown>): Promise<{ messages: Message[]; pages: number }> {
  const messages: Message[] = [];
  let pages = 0;
  for await (const page of client.paginate('conversations.history', params)) {
    messages.push(...(page as unknown as { messages: Message[] }).messages);
    pages += 1;
  }
  return { messages, pages };
}

async function wholeThread(channel: string, ts: string, limit: number): Promise<{ replies: Message[]; roots: number }> {
  const all: Message[] = [];
  for await (const page of client.paginate('conversations.replies', { channel, ts, limit })) all.push(...(page as unknown as { messages: Message[] }).messages);
  return { replies: all.filter((message) => message.ts !== ts), roots: all.filter((message) => message.ts === ts).length };
}

describe('importing history', () => {
  it('returns imported messages newest first from history and parent-first, oldest-to-newest from replies, whatever the import order', async () => {
    const { alice, bob, admin, general } = emulator.seed;
    const workspace = emulator.workspace;
    const channel = general.id;
    workspace.importMessage({ channel, ts: tsAt(300, 5), user: bob.id, text: 'third' });
    workspace.importMessage({ channel, ts: tsAt(100, 999_999), user: alice.id, text: 'first: does anyone know where the runbook is?' });
    workspace.importMessage({ channel, ts: tsAt(200, 1), user: admin.id, text: 'second' });
    // Replies arrive out of order; the root's bookkeeping follows ts order, not import order.
    workspace.importMessage({ channel, ts: tsAt(180), user: bob.id, text: 'reply c', threadTs: tsAt(100, 999_999) });
    workspace.importMessage({ channel, ts: tsAt(120), user: admin.id, text: 'reply a', threadTs: tsAt(100, 999_999) });
    workspace.importMessage({ channel, ts: tsAt(150), user: alice.id, text: 'reply b', threadTs: tsAt(100, 999_999) });

    const history = await historyPage({ channel });
    const thread = await client.conversations.replies({ channel, ts: tsAt(100, 999_999) });

    expect(history.messages.map((message) => message.text)).toEqual(['third', 'second', 'first: does anyone know where the runbook is?']);
    expect(history.messages[2]).toMatchObject({
      ts: tsAt(100, 999_999),
      thread_ts: tsAt(100, 999_999),
      reply_count: 3,
      reply_users_count: 3,
      reply_users: [admin.id, alice.id, bob.id],
      latest_reply: tsAt(180),
    });
    expect((thread.messages as Message[]).map((message) => message.text)).toEqual([
      'first: does anyone know where the runbook is?',
      'reply a',
      'reply b',
      'reply c',
    ]);
    expect((thread.messages as Message[])[1]).toMatchObject({ thread_ts: tsAt(100, 999_999), parent_user_id: alice.id });
  });

  it('keeps reply_users and latest_reply exactly as live replies leave them, repeat repliers listed once', async () => {
    const { alice, bob, general } = emulator.seed;
    const live = emulator.post(alice.id, general.id, 'live root');
    emulator.post(bob.id, general.id, 'r1', { threadTs: live.ts });
    emulator.post(alice.id, general.id, 'r2', { threadTs: live.ts });
    emulator.post(bob.id, general.id, 'r3', { threadTs: live.ts });
    const root = tsAt(0);
    emulator.importHistory(general.id, [
      { ts: root, user: alice.id, text: 'imported root' },
      { ts: tsAt(30), user: alice.id, text: 'r2', threadTs: root },
      { ts: tsAt(10), user: bob.id, text: 'r1', threadTs: root },
      { ts: tsAt(50), user: bob.id, text: 'r3', threadTs: root },
    ]);

    const { messages } = await historyPage({ channel: general.id });
    const pick = (message: Message | undefined) => ({
      reply_count: message?.reply_count,
      reply_users: message?.reply_users,
      reply_users_count: message?.reply_users_count,
    });
    const liveRoot = messages.find((message) => message.ts === live.ts);
    const importedRoot = messages.find((message) => message.ts === root);

    expect(pick(importedRoot)).toEqual(pick(liveRoot));
    expect(pick(importedRoot)).toEqual({ reply_count: 3, reply_users: [bob.id, alice.id], reply_users_count: 2 });
    expect(importedRoot?.latest_reply).toBe(tsAt(50));
  });

  it('carries reactions (with count), edited, files, bot_id with bot_message, and channel_join notices as Slack shows them', async () => {
    const { alice, bob, general } = emulator.seed;
    const github = emulator.addBotUser({ name: 'github', realName: 'GitHub' });
    emulator.addMembers(general.id, [github.id]);
    const fileId = emulator.uploadAsUser(bob.id, 'trace.log', Buffer.from('stack trace'), 'text/plain');
    emulator.importHistory(general.id, [
      { ts: tsAt(1, 1), user: bob.id, subtype: 'channel_join', text: `<@${bob.id}> has joined the channel` },
      {
        ts: tsAt(2, 2),
        user: alice.id,
        text: 'shipped :tada:',
        reactions: [
          { name: 'tada', users: [bob.id, alice.id] },
          { name: ':eyes:', users: [bob.id] },
        ],
        edited: true,
      },
      { ts: tsAt(3, 3), botId: github.botId, subtype: 'bot_message', text: 'PR opened: <https://github.com/acme/api/pull/42|#42>' },
      { ts: tsAt(4, 4), user: bob.id, subtype: 'file_share', text: 'the log', fileIds: [fileId] },
    ]);

    const byText = new Map((await historyPage({ channel: general.id })).messages.map((message) => [message.text, message]));

    expect(byText.get(`<@${bob.id}> has joined the channel`)).toMatchObject({ subtype: 'channel_join', user: bob.id });
    expect(byText.get(`<@${bob.id}> has joined the channel`)?.client_msg_id).toBeUndefined();
    const shipped = byText.get('shipped :tada:');
    expect(shipped?.reactions).toEqual([
      { name: 'tada', users: [bob.id, alice.id], count: 2 },
      { name: 'eyes', users: [bob.id], count: 1 },
    ]);
    expect(shipped?.edited?.user).toBe(alice.id);
    expect(Number(shipped?.edited?.ts)).toBeGreaterThan(Number(tsAt(2, 2)));
    expect(byText.get('PR opened: <https://github.com/acme/api/pull/42|#42>')).toMatchObject({
      subtype: 'bot_message',
      bot_id: github.botId,
      // Another app's bot is shown under its own name, not Pulse's.
      bot_profile: { id: github.botId, name: 'GitHub' },
    });
    expect(byText.get('the log')?.files?.map((file) => file.id)).toEqual([fileId]);
  });

  it('shows a broadcast reply both in the channel and in its thread, counted as a reply', async () => {
    const { alice, bob, general } = emulator.seed;
    emulator.importHistory(general.id, [
      { ts: tsAt(0), user: alice.id, text: 'root' },
      { ts: tsAt(5), user: bob.id, text: 'also in channel', threadTs: tsAt(0), replyBroadcast: true },
      { ts: tsAt(9), user: bob.id, text: 'thread only', threadTs: tsAt(0) },
    ]);

    const history = await historyPage({ channel: general.id });
    const thread = await client.conversations.replies({ channel: general.id, ts: tsAt(0) });

    expect(history.messages.map((message) => message.text)).toEqual(['also in channel', 'root']);
    expect(history.messages[0]).toMatchObject({ subtype: 'thread_broadcast', thread_ts: tsAt(0) });
    expect(history.messages[1]).toMatchObject({ reply_count: 2 });
    expect((thread.messages as Message[]).map((message) => message.text)).toEqual(['root', 'also in channel', 'thread only']);
  });

  it('refuses a duplicate ts, a malformed ts, an unknown author, and replies to a missing root, to a reply or older than the root', () => {
    const { alice, general, random } = emulator.seed;
    const workspace = emulator.workspace;
    workspace.importMessage({ channel: general.id, ts: tsAt(10), user: alice.id, text: 'root' });
    workspace.importMessage({ channel: general.id, ts: tsAt(20), user: alice.id, text: 'reply', threadTs: tsAt(10) });

    const attempt = (input: Partial<HistoryMessage>) => () =>
      workspace.importMessage({ channel: general.id, ts: tsAt(30), user: alice.id, text: 'x', ...input });

    expect(attempt({ ts: tsAt(10) })).toThrow(/already has a message/);
    expect(attempt({ ts: '1763000000.1' })).toThrow(/ts must look like/);
    expect(attempt({ user: 'U0NOBODY00' })).toThrow(/known user/);
    expect(attempt({ threadTs: tsAt(11) })).toThrow(/no thread root/);
    expect(attempt({ threadTs: tsAt(20) })).toThrow(/itself a reply/);
    expect(attempt({ ts: tsAt(5), threadTs: tsAt(10) })).toThrow(/newer than its root/);
    expect(attempt({ replyBroadcast: true })).toThrow(/needs a threadTs/);
    // The same ts in another channel is a different message.
    expect(() => workspace.importMessage({ channel: random.id, ts: tsAt(10), user: alice.id, text: 'elsewhere' })).not.toThrow();
    expect(workspace.listMessages(general.id).map((message) => message.text)).toEqual(['root', 'reply']);
  });

  it('keeps live posts newer than an imported ts ahead of the clock, so they never collide', async () => {
    let now = BASE_SECONDS * 1000;
    const clocked = await startEmulator({ now: () => now });
    const { alice, general } = clocked.seed;
    clocked.importHistory(general.id, [{ ts: `${BASE_SECONDS + 5}.000000`, user: alice.id, text: 'from the future' }]);
    now += 1_000;

    const live = clocked.post(alice.id, general.id, 'live');

    expect(Number(live.ts)).toBeGreaterThan(BASE_SECONDS + 5);
    expect(clocked.messages(general.id).map((message) => message.text)).toEqual(['from the future', 'live']);
  });

  it('drops a deleted reply’s author from reply_users when it was their only reply', async () => {
    const { alice, general } = emulator.seed;
    emulator.importHistory(general.id, [{ ts: tsAt(0), user: alice.id, text: 'root' }]);
    const reply = await client.chat.postMessage({ channel: general.id, text: 'bot reply', thread_ts: tsAt(0) });
    await client.chat.delete({ channel: general.id, ts: reply.ts as string });

    const [root] = (await historyPage({ channel: general.id })).messages;
    expect(root).toMatchObject({ reply_count: 0, reply_users: [] });
  });
});

describe('reading thousands of imported messages', () => {
  function seedBusyChannel(): { channel: string; topLevel: string[]; longThread: string; longReplies: string[] } {
    const { alice, bob, admin } = emulator.seed;
    const channel = emulator.createChannel({ name: 'eng-busy', kind: 'public', members: [alice.id, bob.id, admin.id], botMember: true }).id;
    const people = [alice.id, bob.id, admin.id];
    const messages: HistoryMessage[] = [];
    const topLevel: string[] = [];
    for (let index = 0; index < 1_234; index += 1) {
      // Micro parts vary, and some seconds hold two messages.
      const ts = tsAt(Math.floor(index * 0.8) * 60, (index * 7_919) % 1_000_000);
      topLevel.push(ts);
      messages.push({ ts, user: people[index % 3] as string, text: `message ${index}` });
      if (index % 10 === 0) messages.push({ ts: tsAt(Math.floor(index * 0.8) * 60 + 30, 1), user: people[(index + 1) % 3] as string, text: `reply to ${index}`, threadTs: ts });
    }
    const longThread = topLevel[3] as string;
    const longReplies: string[] = [];
    for (let index = 0; index < 250; index += 1) {
      const ts = `${BASE_SECONDS + 200_000 + index}.${String(123_456 + index).padStart(6, '0')}`;
      longReplies.push(ts);
      messages.push({ ts, user: people[index % 3] as string, text: `long reply ${index}`, threadTs: longThread });
    }
    emulator.importHistory(channel, messages);
    topLevel.sort(compareTs);
    return { channel, topLevel, longThread, longReplies };
  }

  it('pages history with cursors over every top-level message exactly once, newest first', async () => {
    const { channel, topLevel } = seedBusyChannel();

    const { messages, pages } = await wholeHistory({ channel, limit: 100 });

    expect(pages).toBe(13);
    expect(messages.map((message) => message.ts)).toEqual([...topLevel].reverse());
    expect(new Set(messages.map((message) => message.ts)).size).toBe(1_234);
  });

  it('pages a 250-reply thread with cursors, every reply once and in order', async () => {
    const { channel, longThread, longReplies } = seedBusyChannel();

    const { replies, roots } = await wholeThread(channel, longThread, 40);

    expect(replies.map((message) => message.ts)).toEqual(longReplies);
    expect(roots).toBeGreaterThanOrEqual(1);
    const root = (await client.conversations.replies({ channel, ts: longThread, limit: 1 })).messages?.[0] as Message;
    expect(root).toMatchObject({ reply_count: 250, latest_reply: longReplies.at(-1) });
  });

  it('keeps only messages inside oldest/latest, the bounds only when inclusive, also across pages', async () => {
    const { channel, topLevel } = seedBusyChannel();
    const oldest = topLevel[100] as string;
    const latest = topLevel[900] as string;

    const exclusive = await wholeHistory({ channel, oldest, latest, limit: 150 });
    const inclusive = await wholeHistory({ channel, oldest, latest, inclusive: true, limit: 150 });
    const sinceOldest = await wholeHistory({ channel, oldest, limit: 999 });
    const untilLatest = await wholeHistory({ channel, latest, limit: 999 });

    expect(exclusive.messages.map((message) => message.ts)).toEqual(topLevel.slice(101, 900).reverse());
    expect(inclusive.messages.map((message) => message.ts)).toEqual(topLevel.slice(100, 901).reverse());
    expect(sinceOldest.messages).toHaveLength(1_234 - 101);
    expect(untilLatest.messages).toHaveLength(900);
  });

  it('bounds a thread’s replies with oldest/latest', async () => {
    const { channel, longThread, longReplies } = seedBusyChannel();
    const thread = await client.conversations.replies({ channel, ts: longThread, oldest: longReplies[10], latest: longReplies[20], inclusive: true });
    const replies = (thread.messages as Message[]).filter((message) => message.ts !== longThread);
    expect(replies.map((message) => message.ts)).toEqual(longReplies.slice(10, 21));
  });
});

describe('archived channels', () => {
  it('accept imported history; join answers is_archived; exclude_archived hides them from conversations.list', async () => {
    const { alice, bob } = emulator.seed;
    const archive = emulator.createChannel({ name: 'eng-archive', kind: 'public', members: [alice.id, bob.id], archived: true });
    emulator.importHistory(archive.id, [{ ts: tsAt(0), user: alice.id, text: 'before archiving' }]);

    const all = await client.conversations.list({ types: 'public_channel,private_channel' });
    const active = await client.conversations.list({ types: 'public_channel,private_channel', exclude_archived: true });

    expect(await platformError(client.conversations.join({ channel: archive.id }))).toBe('is_archived');
    expect(all.channels?.find((channel) => channel.id === archive.id)).toMatchObject({ is_archived: true, is_member: false });
    expect(active.channels?.map((channel) => channel.id)).not.toContain(archive.id);
    expect(emulator.messages(archive.id).map((message) => message.text)).toEqual(['before archiving']);
  });

  it('stay readable to a bot that was a member, and refuse new posts', async () => {
    const { alice } = emulator.seed;
    const archive = emulator.createChannel({ name: 'old-project', kind: 'public', members: [alice.id], archived: true, botMember: true });
    emulator.importHistory(archive.id, [{ ts: tsAt(0), user: alice.id, text: 'kept' }]);

    expect((await historyPage({ channel: archive.id })).messages.map((message) => message.text)).toEqual(['kept']);
    expect(await platformError(client.chat.postMessage({ channel: archive.id, text: 'late' }))).toBe('is_archived');
  });
});

describe('the listings an analytics sync walks', () => {
  function seedChannels() {
    const { alice, bob, admin } = emulator.seed;
    const carol = emulator.addPerson({ name: 'carol', realName: 'Carol Diaz' });
    const help = emulator.createChannel({ name: 'eng-help', kind: 'public', members: [alice.id, bob.id, carol.id], botMember: true });
    const prs = emulator.createChannel({ name: 'eng-prs', kind: 'public', members: [alice.id, carol.id] });
    const secret = emulator.createChannel({ name: 'eng-secret', kind: 'private', members: [alice.id, carol.id] });
    const shared = emulator.createChannel({ name: 'staff', kind: 'private', members: [alice.id, admin.id], botMember: true });
    const archived = emulator.createChannel({ name: 'eng-old', kind: 'public', members: [alice.id], archived: true });
    return { carol, help, prs, secret, shared, archived };
  }

  it('conversations.list pages every visible channel once, private ones only when the bot is in them', async () => {
    const { help, prs, secret, shared, archived } = seedChannels();
    const ids: string[] = [];
    for await (const page of client.paginate('conversations.list', { types: 'public_channel,private_channel', limit: 2 })) {
      ids.push(...(page as unknown as { channels: { id: string }[] }).channels.map((channel) => channel.id));
    }
    const { general, random, leads } = emulator.seed;
    expect(ids.sort()).toEqual([general.id, random.id, leads.id, help.id, prs.id, shared.id, archived.id].sort());
    expect(ids).not.toContain(secret.id);
  });

  it('users.conversations for a person lists their channels, their private ones only where the bot is too', async () => {
    const { help, prs, shared, archived } = seedChannels();
    const { alice, general, random } = emulator.seed;
    const ids: string[] = [];
    for await (const page of client.paginate('users.conversations', { user: alice.id, types: 'public_channel,private_channel', limit: 2 })) {
      ids.push(...(page as unknown as { channels: { id: string }[] }).channels.map((channel) => channel.id));
    }
    const publicOnly = await client.users.conversations({ user: alice.id, exclude_archived: true });

    expect(ids.sort()).toEqual([general.id, random.id, help.id, prs.id, shared.id, archived.id].sort());
    expect(publicOnly.channels?.map((channel) => channel.id).sort()).toEqual([general.id, random.id, help.id, prs.id].sort());
    expect(await platformError(client.users.conversations({ user: alice.id, types: 'public_channel,nonsense' }))).toBe('invalid_types');
  });

  it('conversations.join of a private channel the bot is not in answers channel_not_found; a public join posts Slack’s join notice', async () => {
    const { secret, prs } = seedChannels();
    expect(await platformError(client.conversations.join({ channel: secret.id }))).toBe('channel_not_found');

    const joined = await client.conversations.join({ channel: prs.id });
    const again = await client.conversations.join({ channel: prs.id });
    const { messages } = await historyPage({ channel: prs.id });

    expect(joined.channel).toMatchObject({ id: prs.id, is_member: true });
    expect(again.warning).toBe('already_in_channel');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ subtype: 'channel_join', user: emulator.botUserId, text: `<@${emulator.botUserId}> has joined the channel` });
  });

  it('conversations.members pages a public channel’s members without the bot joining, and hides a private one it is not in', async () => {
    const { help, secret, carol } = seedChannels();
    const members: string[] = [];
    for await (const page of client.paginate('conversations.members', { channel: help.id, limit: 2 })) members.push(...(page as unknown as { members: string[] }).members);
    const { alice, bob } = emulator.seed;

    expect(members.sort()).toEqual([alice.id, bob.id, carol.id, emulator.botUserId].sort());
    expect(await platformError(client.conversations.members({ channel: secret.id }))).toBe('channel_not_found');
  });
});
