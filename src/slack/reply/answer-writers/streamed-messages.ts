/**
 * The Slack side of a streamed answer: chat.startStream, appendStream and
 * stopStream on one message at a time, continuing in a new message of the
 * thread when one is full. Text is written once and never taken back.
 */
import type { WebClient } from '@slack/web-api';
import type { AnswerTarget } from '../../../conversation/ports.ts';
import { findOpenFence, findStreamBreak, hardStreamCut, LINE_BREAKS, type StreamCut } from './stream-markdown.ts';
import type { AnswerMessage } from './sync-answer-messages.ts';

/** Slack's markdown_text holds at most 12,000 characters per message (docs/slack-protocol.md). */
export const STREAM_MESSAGE_CHAR_LIMIT = 12_000;
/** A full message with less room than this is closed rather than topped up with a sliver of text. */
const MIN_STREAM_PIECE = 64;
/**
 * Always kept free, so a message that must end inside a code block can still
 * close it ("\n" and a fence; models write fences of three to five characters).
 */
const CLOSING_FENCE_RESERVE = 16;
/** The last tenth of a message is where it looks for a break to end at (long enough to hold a paragraph's end). */
const BREAK_ZONE_RATIO = 0.1;
const MIN_BREAK_ZONE = 2 * MIN_STREAM_PIECE;
/** Below this a message could not hold a reopened fence, a closing reserve and some text. */
const MIN_STREAM_LIMIT = 4 * MIN_STREAM_PIECE;

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
  ) {
    if (limit < MIN_STREAM_LIMIT) throw new RangeError(`a streamed message must allow at least ${MIN_STREAM_LIMIT} characters`);
  }

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
      const room = this.room - reopen.length - CLOSING_FENCE_RESERVE;
      const cut = this.chooseCut(pending, room);
      if (!cut) {
        await this.send(reopen + pending);
        this.written += pending;
        return;
      }
      const fence = findOpenFence(this.written + pending.slice(0, cut.end));
      await this.send(reopen + pending.slice(0, cut.end) + (fence ? `\n${fence}` : ''));
      await this.stop();
      this.written += pending.slice(0, cut.resume);
      pending = pending.slice(cut.resume);
      reopen = fence ? `${fence}\n` : '';
    }
  }

  /**
   * Where the open message should end within `pending`, if it should end now.
   * Near its limit a message ends at the next line break rather than wherever
   * the model's text happened to stop; without one, at a word once it is
   * almost full; mid-word only for text that has no spaces.
   */
  private chooseCut(pending: string, room: number): StreamCut | undefined {
    const zoneStart = room - Math.max(MIN_BREAK_ZONE, Math.floor(this.limit * BREAK_ZONE_RATIO));
    if (pending.length < zoneStart) return undefined;
    const lineBreak = findStreamBreak(pending, room, zoneStart, LINE_BREAKS);
    if (lineBreak) return lineBreak;
    if (pending.length <= room - MIN_STREAM_PIECE) return undefined;
    // An almost full message ends where it is, the rest going to the next one.
    if (room < MIN_STREAM_PIECE && this.open) return { end: 0, resume: pending.startsWith('\n') ? 1 : 0 };
    return findStreamBreak(pending, room, zoneStart) ?? findStreamBreak(pending, room, 1) ?? hardStreamCut(pending, room);
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
