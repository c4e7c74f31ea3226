/**
 * Conversations of the emulated workspace: channels, DMs and group DMs, who
 * may read them, joining and archiving, and each conversation's ts-ordered
 * message list (lookup and insertion; posting and editing are in workspace.ts).
 */
import { SlackError } from './slack-error.ts';
import type { ConversationKind, EmulatedConversation, EmulatedMessage } from './types.ts';
import { WorkspaceCore } from './workspace-core.ts';
import { lowerBound } from './workspace-timestamps.ts';

export class WorkspaceConversations extends WorkspaceCore {
  createConversation(options: {
    name: string;
    kind?: Exclude<ConversationKind, 'im'>;
    members?: string[];
    creator?: string;
    isGeneral?: boolean;
    /** Unix seconds; now by default. */
    created?: number;
  }): EmulatedConversation {
    const kind = options.kind ?? 'public';
    const prefix = kind === 'public' ? 'C' : kind === 'private' ? 'G' : 'G';
    const creator = options.creator ?? options.members?.[0] ?? this.bot.id;
    return this.addConversation({
      id: this.newId(prefix),
      name: options.name,
      kind,
      created: options.created ?? this.nowSeconds(),
      creator,
      isGeneral: options.isGeneral ?? false,
      members: new Set(options.members ?? []),
    });
  }

  /** The group DM of these people and the bot (what conversations.open returns for 2–8 users): one per set of members. */
  openMpim(userIds: readonly string[]): EmulatedConversation {
    for (const id of userIds) this.requireUser(id);
    const members = new Set([...userIds, this.bot.id]);
    for (const conversation of this.conversations.values()) {
      if (conversation.kind === 'mpim' && conversation.members.size === members.size && [...members].every((id) => conversation.members.has(id))) {
        return conversation;
      }
    }
    const names = [...members].map((id) => this.users.get(id)?.name ?? id);
    return this.addConversation({
      id: this.newId('C'),
      name: `mpdm-${names.join('--')}-1`,
      kind: 'mpim',
      created: this.nowSeconds(),
      creator: userIds[0] as string,
      members,
    });
  }

  /** The DM between a user and the bot (what conversations.open returns). */
  openIm(userId: string): EmulatedConversation {
    this.requireUser(userId);
    for (const conversation of this.conversations.values()) {
      if (conversation.kind === 'im' && conversation.imUser === userId) return conversation;
    }
    return this.addConversation({
      id: this.newId('D'),
      name: userId,
      kind: 'im',
      created: this.nowSeconds(),
      creator: userId,
      members: new Set([userId, this.bot.id]),
      imUser: userId,
    });
  }

  /** Records a new conversation, not archived, with no topic, purpose or messages yet. */
  private addConversation(
    fields: Pick<EmulatedConversation, 'id' | 'name' | 'kind' | 'created' | 'creator' | 'members'> &
      Partial<Pick<EmulatedConversation, 'isGeneral' | 'imUser'>>,
  ): EmulatedConversation {
    // The fields in the order the three constructors wrote them; imUser only on a DM.
    const { id, name, kind, created, creator, isGeneral, members, imUser } = fields;
    const conversation: EmulatedConversation = {
      id,
      name,
      kind,
      created,
      creator,
      isArchived: false,
      isGeneral: isGeneral ?? false,
      members,
      ...(imUser === undefined ? {} : { imUser }),
      topic: '',
      purpose: '',
    };
    this.conversations.set(conversation.id, conversation);
    this.messages.set(conversation.id, []);
    return conversation;
  }

  requireConversation(id: string): EmulatedConversation {
    const conversation = this.conversations.get(id);
    if (!conversation) throw new SlackError('channel_not_found');
    return conversation;
  }

  /** What the bot token may read or write: a member conversation, else Slack's errors. */
  requireBotAccess(id: string): EmulatedConversation {
    const conversation = this.requireConversation(id);
    if (!conversation.members.has(this.bot.id)) {
      // Private conversations the bot is not in do not exist as far as its token can tell.
      throw new SlackError(conversation.kind === 'public' ? 'not_in_channel' : 'channel_not_found');
    }
    return conversation;
  }

  /**
   * Someone joins: member_joined_channel, and the "has joined the channel"
   * notice Slack posts into the conversation (slack-captures joinChannel.json
   * is a bot receiving the notice of its own join).
   */
  join(conversationId: string, userId: string, inviter?: string): boolean {
    const conversation = this.requireConversation(conversationId);
    if (conversation.members.has(userId)) return false;
    conversation.members.add(userId);
    this.emit({
      kind: 'member_joined_channel',
      channel: conversation,
      user: userId,
      ...(inviter ? { inviter } : {}),
    });
    const notice: EmulatedMessage = {
      ts: this.nextTs(),
      channel: conversation.id,
      type: 'message',
      subtype: 'channel_join',
      user: userId,
      text: `<@${userId}> has joined the channel`,
      replyTs: [],
      replyUsers: [],
      reactions: [],
      fileIds: [],
    };
    this.insertMessage(notice);
    this.emit({ kind: 'message_posted', message: notice });
    return true;
  }

  /** Archives a channel (history stays readable; joining and posting are refused). */
  archiveConversation(id: string): EmulatedConversation {
    const conversation = this.requireConversation(id);
    if (conversation.kind === 'im') throw new SlackError('method_not_supported_for_channel_type');
    if (conversation.isGeneral) throw new SlackError('cant_archive_general');
    if (conversation.isArchived) throw new SlackError('already_archived');
    conversation.isArchived = true;
    return conversation;
  }

  listMessages(channel: string): EmulatedMessage[] {
    return this.messages.get(channel) ?? [];
  }

  findMessage(channel: string, ts: string): EmulatedMessage | undefined {
    const list = this.listMessages(channel);
    const candidate = list[lowerBound(list, ts)];
    return candidate?.ts === ts ? candidate : undefined;
  }

  /** Puts a message in its conversation's list at its place in ts order. */
  protected insertMessage(message: EmulatedMessage): void {
    const list = this.listMessages(message.channel);
    list.splice(lowerBound(list, message.ts), 0, message);
  }

  requireMessage(channel: string, ts: string): EmulatedMessage {
    const message = this.findMessage(channel, ts);
    if (!message) throw new SlackError('message_not_found');
    return message;
  }
}
