/**
 * The Slack side of a streamed answer: chat.startStream, appendStream and
 * stopStream on one message at a time, continuing in a new message of the
 * thread when one is full. Text is written once and never taken back.
 */
import type { WebClient } from '@slack/web-api';
import type { AnswerTarget } from '../../../conversation/ports.ts';
import { findOpenFence, findStreamCut } from './stream-markdown.ts';
import type { AnswerMessage } from './sync-answer-messages.ts';

/** Slack's markdown_text holds at most 12,000 characters per message (docs/slack-protocol.md). */
export const STREAM_MESSAGE_CHAR_LIMIT = 12_000;
/** A full message with less room than this is closed rather than topped up with a sliver of text. */
const MIN_STREAM_PIECE = 64;

export class StreamedMessages {
  /** Every message streamed so far, with the text Slack holds, oldest first. */
  readonly messages: AnswerMessage[] = [];
  /** The answer's Markdown sent so far, across all messages (without fences added at message breaks). */
  written = '';
  private open: AnswerMessage | undefined;

  constructor(
    private readonly client: WebClient,
    private readonly target: AnswerTarget,
    private readonly limit = STREAM_MESSAGE_CHAR_LIMIT,
  ) {}

  get isOpen(): boolean {
    return this.open !== undefined;
  }

  get firstTs(): string | undefined {
    return this.messages[0]?.ts;
  }

  /** How much more the open message (or a new one) can take. */
  get room(): number {
    return this.limit - (this.open?.text.length ?? 0);
  }

  /** Streams `delta` after what was written, moving on to a new message whenever one is full. */
  async write(delta: string): Promise<void> {
    let pending = delta;
    // A code block cut by a message break is closed in one message and reopened at the top of the next.
    let reopen = '';
    while (pending !== '') {
      const room = this.room - reopen.length;
      if (pending.length <= room) {
        await this.send(reopen + pending);
        this.written += pending;
        return;
      }
      if (room < MIN_STREAM_PIECE) {
        await this.stop();
        continue;
      }
      let cut = findStreamCut(pending, room);
      let fence = findOpenFence(this.written + pending.slice(0, cut.end));
      if (fence && cut.end + fence.length + 1 > room) {
        cut = findStreamCut(pending, room - fence.length - 1);
        fence = findOpenFence(this.written + pending.slice(0, cut.end));
      }
      await this.send(reopen + pending.slice(0, cut.end) + (fence ? `\n${fence}` : ''));
      await this.stop();
      this.written += pending.slice(0, cut.resume);
      pending = pending.slice(cut.resume);
      reopen = fence ? `${fence}\n` : '';
    }
  }

  /** Writes the answer's last words and closes the stream; when they fit, they ride on chat.stopStream. */
  async end(tail: string): Promise<void> {
    if (this.open && tail.length <= this.room) {
      await this.stop(tail);
      this.written += tail;
      return;
    }
    await this.write(tail);
    await this.stop();
  }

  /** Closes the open message, adding `tail` to it. */
  async stop(tail = ''): Promise<void> {
    const open = this.open;
    if (!open) return;
    await this.client.chat.stopStream({
      channel: this.target.channelId,
      ts: open.ts,
      ...(tail !== '' ? { markdown_text: tail } : {}),
    });
    open.text += tail;
    this.open = undefined;
  }

  private async send(text: string): Promise<void> {
    if (text === '') return;
    if (this.open) {
      await this.client.chat.appendStream({ channel: this.target.channelId, ts: this.open.ts, markdown_text: text });
      this.open.text += text;
      return;
    }
    // Outside DMs Slack streams only to a named recipient.
    const response = await this.client.chat.startStream({
      channel: this.target.channelId,
      thread_ts: this.target.threadTs,
      markdown_text: text,
      recipient_user_id: this.target.recipientUserId,
      recipient_team_id: this.target.teamId,
    });
    if (!response.ts) throw new Error('chat.startStream returned no ts');
    this.open = { ts: response.ts, text };
    this.messages.push(this.open);
  }
}
