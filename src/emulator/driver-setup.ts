/**
 * The workspace as it stood before Pulse was listening, for the driver to
 * set up: the seeded people and channels, more people and other apps' bots,
 * channels and their members, past messages, and files a person uploads for
 * a later post. None of it sends events: none of it happened while Pulse
 * was connected.
 */
import type { BotUser, HistoryMessage, MessageRef, SeededWorkspace } from './driver-types.ts';
import { richTextBlocks } from './event-payloads.ts';
import { compareTs } from './ids.ts';
import { SlackError } from './slack-error.ts';
import type { EmulatedConversation, EmulatedUser } from './types.ts';
import type { Workspace } from './workspace.ts';

/** One message for seedHistory, posted at "now" by a person or (fromPulse) by Pulse. */
export interface SeedMessage {
  user: string;
  text: string;
  threadTs?: string;
  fromPulse?: boolean;
  fileIds?: string[];
}

export interface PersonSetup {
  name: string;
  realName: string;
  isAdmin?: boolean;
  tz?: string;
}

export interface ChannelSetup {
  name: string;
  kind: 'public' | 'private';
  members: readonly string[];
  archived?: boolean;
  botMember?: boolean;
}

/** The people and channels every emulator starts with (Pulse is in #general and #leads, not #random). */
export function seedWorkspace(workspace: Workspace): SeededWorkspace {
  const admin = workspace.addUser({ name: 'ada', realName: 'Ada Admin', isAdmin: true, isOwner: true, isPrimaryOwner: true });
  const alice = workspace.addUser({ name: 'alice', realName: 'Alice Smith', displayName: 'alice' });
  const bob = workspace.addUser({ name: 'bob', realName: 'Bob Jones', displayName: 'bob', tz: 'America/New_York' });
  const everyone = [admin.id, alice.id, bob.id];
  return {
    admin,
    alice,
    bob,
    general: workspace.createConversation({ name: 'general', members: [...everyone, workspace.bot.id], isGeneral: true }),
    random: workspace.createConversation({ name: 'random', members: everyone }),
    leads: workspace.createConversation({ name: 'leads', kind: 'private', members: [admin.id, workspace.bot.id] }),
  };
}

export function seedHistory(workspace: Workspace, channel: string, messages: readonly SeedMessage[]): MessageRef[] {
  return workspace.silently(() =>
    messages.map((message) => {
      const posted = workspace.postMessage({
        channel,
        user: message.fromPulse ? workspace.bot.id : message.user,
        text: message.text,
        threadTs: message.threadTs,
        fileIds: message.fileIds,
        ...(message.fromPulse ? { botId: workspace.bot.botId } : { blocks: richTextBlocks(message.text) }),
      });
      return { channel, ts: posted.ts };
    }),
  );
}

export function importHistory(workspace: Workspace, channel: string, messages: readonly HistoryMessage[]): MessageRef[] {
  const oldestFirst = [...messages].sort((a, b) => compareTs(a.ts, b.ts));
  for (const message of oldestFirst) {
    const typed = !message.botId && (message.subtype === undefined || message.subtype === 'thread_broadcast');
    workspace.importMessage({
      ...message,
      channel,
      ...(typed && message.blocks === undefined ? { blocks: richTextBlocks(message.text) } : {}),
    });
  }
  return messages.map((message) => ({ channel, ts: message.ts }));
}

export function addPerson(workspace: Workspace, person: PersonSetup): EmulatedUser {
  return workspace.addUser({
    name: person.name,
    realName: person.realName,
    displayName: person.name,
    ...(person.isAdmin !== undefined ? { isAdmin: person.isAdmin } : {}),
    ...(person.tz !== undefined ? { tz: person.tz } : {}),
  });
}

export function addBotUser(workspace: Workspace, bot: { name: string; realName: string }): BotUser {
  const user = workspace.addUser({ name: bot.name, realName: bot.realName, isBot: true });
  user.botId = workspace.newId('B');
  user.appId = workspace.newId('A');
  return user as BotUser;
}

export function createChannel(workspace: Workspace, options: ChannelSetup): EmulatedConversation {
  for (const id of options.members) workspace.requireUser(id);
  if ([...workspace.conversations.values()].some((conversation) => conversation.name === options.name)) {
    throw new SlackError('name_taken');
  }
  const conversation = workspace.createConversation({
    name: options.name,
    kind: options.kind,
    members: [...options.members, ...(options.botMember ? [workspace.bot.id] : [])],
  });
  if (options.archived) workspace.archiveConversation(conversation.id);
  return conversation;
}

export function addMembers(workspace: Workspace, channel: string, userIds: readonly string[]): void {
  const conversation = workspace.requireConversation(channel);
  for (const id of userIds) conversation.members.add(workspace.requireUser(id).id);
}

/** Stores an uploaded file, complete and unshared; returns its id. */
export function storeUpload(workspace: Workspace, userId: string, name: string, bytes: Buffer, mimetype?: string): string {
  const id = workspace.newId('F');
  const extension = name.split('.').pop() ?? 'binary';
  workspace.files.set(id, {
    id,
    name,
    title: name,
    mimetype: mimetype ?? 'application/octet-stream',
    filetype: extension,
    prettyType: extension.toUpperCase(),
    user: userId,
    created: workspace.nowSeconds(),
    bytes,
    channels: [],
    completed: true,
    declaredLength: bytes.length,
  });
  return id;
}
