/**
 * Reads a question's context from Slack: the last N messages of a thread
 * (conversations.replies, paged to the end) or of a conversation's top level
 * (conversations.history), names resolved, Pulse's turns marked, images
 * downloaded (size-capped), other files named.
 */
import type { WebClient } from '@slack/web-api';
import type { ContextImage, ContextMessage, ContextRequest } from '../conversation/ports.ts';
import type { Logger } from '../logger.ts';
import { IMAGE_DOWNLOAD_TIMEOUT_MS, MAX_CONTEXT_IMAGES, MAX_IMAGE_BYTES, MAX_REPLIES_PAGES, REPLIES_PAGE_SIZE } from './limits.ts';
import { mentionedUserIds, renderSlackTextAsPlain } from './slack-text.ts';
import type { UserDirectory } from './user-directory.ts';
import { WELCOME_TEXT } from './welcome.ts';

/** The fields of a Slack message the context reads. */
export interface SlackMessage {
  ts?: string;
  reply_count?: number;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text?: string;
  username?: string;
  bot_profile?: { name?: string };
  files?: SlackFile[];
}

interface SlackFile {
  name?: string;
  title?: string;
  mimetype?: string;
  size?: number;
  url_private?: string;
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
  'tombstone', // a deleted thread root: "This message was deleted."
]);

/** Replies of an earlier DM thread spliced into a top-level context: the answer and a follow-up or two. */
const MAX_SPLICED_REPLIES = 6;

/** Image types every OpenAI-compatible vision model accepts. */
const MODEL_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export interface BotIdentity {
  userId: string;
  botId: string;
}

export function compareSlackTs(a: string, b: string): number {
  const [aSeconds = '0', aMicros = '0'] = a.split('.');
  const [bSeconds = '0', bMicros = '0'] = b.split('.');
  return Number(aSeconds) - Number(bSeconds) || Number(aMicros) - Number(bMicros);
}

export class ContextReader {
  constructor(
    private readonly client: WebClient,
    private readonly directory: UserDirectory,
    private readonly bot: BotIdentity,
    private readonly botToken: string,
    private readonly logger: Logger,
  ) {}

  async read(request: ContextRequest, limit: number): Promise<ContextMessage[]> {
    const raw = request.fromThread ? await this.readThreadTail(request, limit) : await this.readHistoryTail(request, limit);
    // Joins, topic changes and Pulse's one-time welcome are not part of the conversation.
    return this.toContext(
      raw.filter((message) => !SYSTEM_SUBTYPES.has(message.subtype ?? '') && !(this.isFromPulse(message) && message.text === WELCOME_TEXT)),
    );
  }

  /** Top level: the newest `limit` messages up to the question (history is newest first). */
  private async readHistoryTail(request: ContextRequest, limit: number): Promise<SlackMessage[]> {
    const response = await this.client.conversations.history({
      channel: request.channelId,
      limit,
      ...(request.untilTs ? { latest: request.untilTs, inclusive: true } : {}),
    });
    const topLevel = ((response.messages ?? []) as SlackMessage[]).slice(0, limit).reverse();
    if (!request.channelId.startsWith('D')) return topLevel;
    return (await this.withLatestAnswerThread(request.channelId, topLevel)).slice(-limit);
  }

  /**
   * In a DM, Pulse answers each top-level question in a thread under it, so the
   * top level alone holds questions without answers. The latest earlier thread
   * (one extra call) is spliced in after its root, so "and Q2?" follows "Q3 was 4.2M".
   */
  private async withLatestAnswerThread(channelId: string, topLevel: SlackMessage[]): Promise<SlackMessage[]> {
    const rootIndex = topLevel.findLastIndex((message, index) => index < topLevel.length - 1 && (message.reply_count ?? 0) > 0);
    const root = topLevel[rootIndex];
    if (!root?.ts) return topLevel;
    const response = await this.client.conversations.replies({ channel: channelId, ts: root.ts, limit: REPLIES_PAGE_SIZE });
    const replies = ((response.messages ?? []) as SlackMessage[]).filter((message) => message.ts !== root.ts).slice(-MAX_SPLICED_REPLIES);
    return [...topLevel.slice(0, rootIndex + 1), ...replies, ...topLevel.slice(rootIndex + 1)];
  }

  /** In a thread: replies come oldest first, so page to the end and keep the tail. */
  private async readThreadTail(request: ContextRequest, limit: number): Promise<SlackMessage[]> {
    const byTs = new Map<string, SlackMessage>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_REPLIES_PAGES; page += 1) {
      const response = await this.client.conversations.replies({
        channel: request.channelId,
        ts: request.threadTs,
        limit: REPLIES_PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      });
      // Slack may repeat the thread root on every page; keying by ts drops the repeats.
      for (const message of (response.messages ?? []) as SlackMessage[]) if (message.ts) byTs.set(message.ts, message);
      cursor = response.response_metadata?.next_cursor || undefined;
      if (!response.has_more || !cursor) break;
    }
    const untilTs = request.untilTs;
    return [...byTs.values()]
      .filter((message) => untilTs === undefined || compareSlackTs(message.ts as string, untilTs) <= 0)
      .sort((a, b) => compareSlackTs(a.ts as string, b.ts as string))
      .slice(-limit);
  }

  isFromPulse(message: SlackMessage): boolean {
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
    const images = await this.downloadImages(messages);
    return messages.map((message) => {
      const fromPulse = this.isFromPulse(message);
      const authorId = message.user ?? message.bot_id ?? 'unknown';
      return {
        ts: message.ts as string,
        authorId,
        authorName: fromPulse ? 'Pulse' : (names.get(authorId) ?? message.bot_profile?.name ?? message.username ?? authorId),
        fromPulse,
        text: renderSlackTextAsPlain(message.text ?? '', names),
        files: (message.files ?? []).map((file) => ({
          name: file.name ?? file.title ?? 'file',
          mimetype: file.mimetype ?? 'application/octet-stream',
        })),
        images: images.get(message.ts as string) ?? [],
      };
    });
  }

  /** Images people attached, newest first, up to the cap; anything unreadable is just named. */
  private async downloadImages(messages: SlackMessage[]): Promise<Map<string, ContextImage[]>> {
    const wanted: { ts: string; file: SlackFile }[] = [];
    for (const message of [...messages].reverse()) {
      if (this.isFromPulse(message)) continue;
      for (const file of message.files ?? []) {
        if (wanted.length >= MAX_CONTEXT_IMAGES) break;
        if (file.url_private && MODEL_IMAGE_TYPES.has(file.mimetype ?? '') && (file.size ?? 0) <= MAX_IMAGE_BYTES) {
          wanted.push({ ts: message.ts as string, file });
        }
      }
    }
    const byTs = new Map<string, ContextImage[]>();
    await Promise.all(
      wanted.map(async ({ ts, file }) => {
        const image = await this.downloadImage(file);
        if (image) byTs.set(ts, [...(byTs.get(ts) ?? []), image]);
      }),
    );
    return byTs;
  }

  private async downloadImage(file: SlackFile): Promise<ContextImage | undefined> {
    try {
      const response = await fetch(file.url_private as string, {
        headers: { Authorization: `Bearer ${this.botToken}` },
        signal: AbortSignal.timeout(IMAGE_DOWNLOAD_TIMEOUT_MS),
      });
      const type = response.headers.get('content-type') ?? '';
      // Without files:read Slack answers with its HTML sign-in page, not the image.
      if (!response.ok || !type.startsWith('image/')) {
        this.logger.warn(`could not download ${file.name ?? 'an image'} (${response.status}, ${type || 'no type'}); naming it instead`);
        return undefined;
      }
      const bytes = Buffer.from(await response.arrayBuffer());
      if (bytes.length > MAX_IMAGE_BYTES) return undefined;
      return { name: file.name ?? 'image', mimetype: file.mimetype ?? type, base64: bytes.toString('base64') };
    } catch (error) {
      this.logger.warn(`could not download ${file.name ?? 'an image'}:`, error);
      return undefined;
    }
  }
}
