/**
 * Progressive delivery without Slack's streaming API: the answer is posted
 * as soon as the model starts, then edited with chat.update as it grows.
 * Long answers continue in further messages of the same thread, so they read
 * in order; finish() makes the messages read exactly what the post writer
 * would have posted.
 */
import type { WebClient } from '@slack/web-api';
import type { AnswerTarget, AnswerWriter } from '../../../conversation/ports.ts';
import type { Logger } from '../../../logger.ts';
import { convertMarkdownToMrkdwn } from '../markdown-to-mrkdwn.ts';
import { splitMessage } from '../split-message.ts';
import { createCoalescingThrottle } from './coalescing-throttle.ts';
import {
  INTERRUPTED_NOTE,
  postAnswerMessage,
  syncAnswerMessages,
  updateAnswerMessage,
  type AnswerMessage,
} from './sync-answer-messages.ts';

/**
 * One redraw a second at most: chat.update is Tier 3 (~50 calls a minute per
 * workspace) and Slack asks apps to send no more than one message a second
 * per channel.
 */
export const ANSWER_UPDATE_INTERVAL_MS = 1_000;
/** Shown while the model has produced nothing Slack can display yet. */
export const THINKING_PLACEHOLDER = '_Thinking…_';

export interface UpdateAnswerWriterOptions {
  client: WebClient;
  logger: Logger;
  /** Tests shorten it; production keeps ANSWER_UPDATE_INTERVAL_MS. */
  updateIntervalMs?: number;
}

/** Splits an answer the way it is finally posted: mrkdwn, in chunks Slack accepts. */
export function renderAnswerChunks(markdown: string): string[] {
  return splitMessage(convertMarkdownToMrkdwn(markdown));
}

export function createUpdateAnswerWriter(options: UpdateAnswerWriterOptions, target: AnswerTarget): AnswerWriter {
  const { client, logger } = options;
  const messages: AnswerMessage[] = [];
  let latest = '';
  /** Messages before this index were completed by an overflow and are left alone until finish(). */
  let frozen = 0;
  let closed = false;
  let progressFailed = false;

  const writeChunk = async (index: number, text: string): Promise<void> => {
    const message = messages[index];
    if (message) await updateAnswerMessage(client, target, message, text);
    else messages.push(await postAnswerMessage(client, target, text));
  };

  const showProgress = async (): Promise<void> => {
    if (progressFailed) return;
    try {
      const chunks = renderAnswerChunks(latest);
      if (chunks.length === 0) {
        if (messages.length === 0) messages.push(await postAnswerMessage(client, target, THINKING_PLACEHOLDER));
        return;
      }
      // An overflow freezes every chunk but the last as its own message and carries on below it.
      for (let index = frozen; index < chunks.length - 1; index += 1) {
        await writeChunk(index, chunks[index] as string);
        frozen = index + 1;
      }
      const last = chunks.length - 1;
      if (last >= frozen) await writeChunk(last, chunks[last] as string);
    } catch (error) {
      // The preview stops here; finish() still tries to deliver and reports what it cannot.
      progressFailed = true;
      logger.warn('could not show the answer so far; waiting for the final answer:', error);
    }
  };

  const throttle = createCoalescingThrottle(options.updateIntervalMs ?? ANSWER_UPDATE_INTERVAL_MS, showProgress);

  return {
    showsProgress: true,
    progress(markdownSoFar) {
      if (closed) return;
      latest = markdownSoFar;
      throttle.request();
    },

    async finish(markdown) {
      closed = true;
      await throttle.settle();
      const chunks = renderAnswerChunks(markdown);
      if (chunks.length === 0) throw new Error('the answer was empty: nothing to post');
      // Sent at once rather than throttled: the reader is waiting, and one extra edit stays well inside Tier 3.
      await syncAnswerMessages(client, target, messages, chunks);
      return (messages[0] as AnswerMessage).ts;
    },

    async abandon() {
      closed = true;
      await throttle.settle();
      if (messages.length === 0) return;
      // Nothing was said yet: the placeholder goes; otherwise the partial text stays, marked unfinished.
      const chunks = renderAnswerChunks(latest);
      if (chunks.length > 0) chunks.push(`${chunks.pop() as string}\n\n${INTERRUPTED_NOTE}`);
      await syncAnswerMessages(client, target, messages, chunks);
    },
  };
}
