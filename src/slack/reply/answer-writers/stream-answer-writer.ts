/**
 * Delivery through Slack's streaming API (chat.startStream / appendStream /
 * stopStream): the answer appears as the model writes it, in standard
 * Markdown. Where Slack refuses streaming, this answer (and, remembered, every
 * later one) falls back to progressive chat.update.
 */
import type { WebClient } from '@slack/web-api';
import type { AnswerTarget, AnswerWriter } from '../../../conversation/ports.ts';
import type { Logger } from '../../../logger.ts';
import { createCoalescingThrottle } from './coalescing-throttle.ts';
import { prepareStreamMarkdown } from './stream-markdown.ts';
import { StreamedMessages, STREAM_MESSAGE_CHAR_LIMIT } from './streamed-messages.ts';
import { isStreamingRefusal, processStreamingAvailability, type StreamingAvailability } from './streaming-availability.ts';
import { INTERRUPTED_NOTE, syncAnswerMessages } from './sync-answer-messages.ts';
import { createUpdateAnswerWriter, renderAnswerChunks } from './update-answer-writer.ts';

/**
 * Tokens are batched for 400 ms per chat.appendStream: each append is a Web
 * API call under Slack's rate limits, and 2.5 calls a second still reads as
 * live typing (@slack/web-api's own chat streamer batches 256 characters for
 * the same reason).
 */
export const STREAM_APPEND_INTERVAL_MS = 400;
const INTERRUPTED_TAIL = `\n\n${INTERRUPTED_NOTE}`;

export interface StreamAnswerWriterOptions {
  client: WebClient;
  logger: Logger;
  /** Tests shorten these; production keeps the named defaults. */
  appendIntervalMs?: number;
  updateIntervalMs?: number;
  messageCharLimit?: number;
  /** Where refusals are remembered; the process-wide memory unless a test isolates its own. */
  availability?: StreamingAvailability;
}

export function createStreamAnswerWriter(options: StreamAnswerWriterOptions, target: AnswerTarget): AnswerWriter {
  const { client, logger } = options;
  const availability = options.availability ?? processStreamingAvailability;
  const createFallback = () => createUpdateAnswerWriter(options, target);
  if (availability.isRefused(target.channelId)) return createFallback();

  const stream = new StreamedMessages(client, target, options.messageCharLimit ?? STREAM_MESSAGE_CHAR_LIMIT);
  let fallback: AnswerWriter | undefined;
  let failure: unknown;
  let latest = '';
  let closed = false;

  /** Switches to updates when Slack refused the very first call; anything else is this answer's failure. */
  const fallBackOn = (error: unknown): AnswerWriter | undefined => {
    if (stream.firstTs !== undefined || !isStreamingRefusal(error)) return undefined;
    availability.refuse(target.channelId, error, logger);
    fallback = createFallback();
    return fallback;
  };

  const streamProgress = async (): Promise<void> => {
    if (fallback || failure !== undefined) return;
    const ready = prepareStreamMarkdown(latest, { complete: false });
    // Diverged text cannot be unsent; finish() corrects it.
    if (!ready.startsWith(stream.written) || ready.length === stream.written.length) return;
    // A stream is started with something to show, not with the blank lines a model may open with.
    if (stream.firstTs === undefined && ready.trim() === '') return;
    try {
      await stream.write(ready.slice(stream.written.length));
    } catch (error) {
      const updates = fallBackOn(error);
      if (updates) {
        updates.progress(latest);
        return;
      }
      failure = error;
      logger.warn('streaming the answer failed; it will be reported when the answer is finished:', error);
    }
  };

  const throttle = createCoalescingThrottle(options.appendIntervalMs ?? STREAM_APPEND_INTERVAL_MS, streamProgress);

  const finishStream = async (markdown: string): Promise<string> => {
    const ready = prepareStreamMarkdown(markdown, { complete: true });
    if (ready.trim() === '') throw new Error('the answer was empty: nothing to post');
    if (ready.startsWith(stream.written)) {
      await stream.end(ready.slice(stream.written.length));
      return stream.firstTs as string;
    }
    // The model's final text is not what was streamed, and streams cannot be edited:
    // close the stream, then edit its messages into the answer as the update writer renders it.
    await stream.stop();
    const chunks = renderAnswerChunks(markdown);
    await syncAnswerMessages(client, target, stream.messages, chunks);
    return stream.firstTs as string;
  };

  return {
    showsProgress: true,
    progress(markdownSoFar) {
      if (closed) return;
      latest = markdownSoFar;
      if (fallback) fallback.progress(markdownSoFar);
      else throttle.request();
    },

    async finish(markdown) {
      closed = true;
      await throttle.settle();
      if (fallback) return fallback.finish(markdown);
      if (failure !== undefined) throw failure;
      try {
        return await finishStream(markdown);
      } catch (error) {
        // No progress had started the stream, so the refusal comes only now.
        const updates = fallBackOn(error);
        if (updates) return updates.finish(markdown);
        throw error;
      }
    },

    async abandon() {
      closed = true;
      await throttle.settle();
      if (fallback) return fallback.abandon();
      if (!stream.isOpen) return;
      // The partial answer stays, brought up to date and marked unfinished; nothing more is coming,
      // so a table in progress is shown as it stands. A note that does not fit is left to the failure notice.
      const ready = prepareStreamMarkdown(latest, { complete: true });
      if (ready.startsWith(stream.written)) await stream.write(ready.slice(stream.written.length));
      await stream.stop(stream.room >= INTERRUPTED_TAIL.length ? INTERRUPTED_TAIL : '');
    },
  };
}
