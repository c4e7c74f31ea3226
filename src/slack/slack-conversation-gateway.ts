/**
 * The conversation pipeline's window on Slack: status reactions, the
 * last-N context (history or replies, paginated), answers posted in the
 * thread as Slack-formatted, size-safe messages.
 */
import type { WebClient } from '@slack/web-api';
import type {
  AnswerTarget,
  AnswerWriter,
  ContextMessage,
  QuestionLocation,
  SlackConversationPort,
} from '../conversation/ports.ts';
import { MAX_REPLIES_PAGES, REPLIES_PAGE_SIZE } from './limits.ts';
import { createAnswerWriter, type AnswerWriterOptions } from './reply/answer-writers/create-answer-writer.ts';
import { slackErrorCode, toUserFacingSlackError } from './slack-errors.ts';
import { mentionedUserIds, renderSlackTextAsPlain } from './slack-text.ts';
import type { UserDirectory } from './user-directory.ts';

/** The fields of a Slack message the context reads. */
interface SlackMessage {
  ts?: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text?: string;
  username?: string;
  bot_profile?: { name?: string };
  files?: { name?: string; title?: string; mimetype?: string }[];
}

/** Subtypes that are not something a person said (joins, topic changes…), left out of the context. */
const SYSTEM_SUBTYPES = new Set([
  'channel_join',
  'channel_leave',
  'channel_topic',
  'channel_purpose',
  'channel_name',
  'channel_archive',
  'channel_unarchive',
  'group_join',
  'group_leave',
  'pinned_item',
  'unpinned_item',
]);

export interface BotIdentity {
  userId: string;
  botId: string;
}

export function compareSlackTs(a: string, b: string): number {
  const [aSeconds = '0', aMicros = '0'] = a.split('.');
  const [bSeconds = '0', bMicros = '0'] = b.split('.');
  return Number(aSeconds) - Number(bSeconds) || Number(aMicros) - Number(bMicros);
}

export class SlackConversationGateway implements SlackConversationPort {
  constructor(
    private readonly client: WebClient,
    private readonly directory: UserDirectory,
    private readonly bot: BotIdentity,
    private readonly writerOptions: AnswerWriterOptions,
  ) {}

  async addReaction(channel: string, timestamp: string, name: string): Promise<void> {
    try {
      await this.client.reactions.add({ channel, timestamp, name });
    } catch (error) {
      if (slackErrorCode(error) !== 'already_reacted') throw error;
    }
  }

  async removeReaction(channel: string, timestamp: string, name: string): Promise<void> {
    try {
      await this.client.reactions.remove({ channel, timestamp, name });
    } catch (error) {
      if (slackErrorCode(error) !== 'no_reaction') throw error;
    }
  }

  async fetchContext(location: QuestionLocation, limit: number): Promise<ContextMessage[]> {
    try {
      const raw = location.inThread ? await this.readThreadTail(location, limit) : await this.readHistoryTail(location, limit);
      return await this.toContext(raw.filter((message) => !SYSTEM_SUBTYPES.has(message.subtype ?? '')));
    } catch (error) {
      throw toUserFacingSlackError(error);
    }
  }

  /** Top level: the newest `limit` messages up to the question (history is newest first). */
  private async readHistoryTail(location: QuestionLocation, limit: number): Promise<SlackMessage[]> {
    const response = await this.client.conversations.history({
      channel: location.channelId,
      latest: location.messageTs,
      inclusive: true,
      limit,
    });
    return ((response.messages ?? []) as SlackMessage[]).slice(0, limit).reverse();
  }

  /** In a thread: replies come oldest first, so page to the end and keep the tail. */
  private async readThreadTail(location: QuestionLocation, limit: number): Promise<SlackMessage[]> {
    const byTs = new Map<string, SlackMessage>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_REPLIES_PAGES; page += 1) {
      const response = await this.client.conversations.replies({
        channel: location.channelId,
        ts: location.threadTs,
        limit: REPLIES_PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      });
      // Slack may repeat the thread root on every page; keying by ts drops the repeats.
      for (const message of (response.messages ?? []) as SlackMessage[]) if (message.ts) byTs.set(message.ts, message);
      cursor = response.response_metadata?.next_cursor || undefined;
      if (!response.has_more || !cursor) break;
    }
    return [...byTs.values()]
      .filter((message) => compareSlackTs(message.ts as string, location.messageTs) <= 0)
      .sort((a, b) => compareSlackTs(a.ts as string, b.ts as string))
      .slice(-limit);
  }

  private isFromPulse(message: SlackMessage): boolean {
    return message.user === this.bot.userId || (message.bot_id !== undefined && message.bot_id === this.bot.botId);
  }

  private async toContext(messages: SlackMessage[]): Promise<ContextMessage[]> {
    const ids = new Set<string>();
    for (const message of messages) {
      if (message.user && !this.isFromPulse(message)) ids.add(message.user);
      for (const id of mentionedUserIds(message.text ?? '')) ids.add(id);
    }
    ids.delete(this.bot.userId);
    const users = await this.directory.lookupMany(ids);
    const names = new Map([...users].map(([id, user]) => [id, user.name]));
    names.set(this.bot.userId, 'Pulse');
    return messages.map((message) => {
      const fromPulse = this.isFromPulse(message);
      const authorId = message.user ?? message.bot_id ?? 'unknown';
      return {
        ts: message.ts as string,
        authorId,
        authorName: fromPulse
          ? 'Pulse'
          : (names.get(authorId) ?? message.bot_profile?.name ?? message.username ?? authorId),
        fromPulse,
        text: renderSlackTextAsPlain(message.text ?? '', names),
        files: (message.files ?? []).map((file) => ({
          name: file.name ?? file.title ?? 'file',
          mimetype: file.mimetype ?? 'application/octet-stream',
        })),
      };
    });
  }

  openAnswer(target: AnswerTarget): AnswerWriter {
    return createAnswerWriter(this.writerOptions, target);
  }

  async postNotice(channel: string, threadTs: string, text: string): Promise<void> {
    await this.client.chat.postMessage({ channel, thread_ts: threadTs, text });
  }
}
