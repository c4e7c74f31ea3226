/** Editing an answer that is already in the thread into the text it must finally read. */
import type { WebClient } from '@slack/web-api';
import type { AnswerTarget } from '../../../conversation/ports.ts';

/** One message of an answer, with the text Pulse last gave it. */
export interface AnswerMessage {
  ts: string;
  text: string;
}

/**
 * Said at the end of a partial answer whose model call failed; the pipeline
 * posts the reason just below. Under 98 characters, so it fits in the room
 * SLACK_MESSAGE_CHAR_LIMIT leaves below chat.update's 4,000 (with "\n\n").
 */
export const INTERRUPTED_NOTE = '_(The answer was interrupted here.)_';

export async function postAnswerMessage(client: WebClient, target: AnswerTarget, text: string): Promise<AnswerMessage> {
  const response = await client.chat.postMessage({
    channel: target.channelId,
    thread_ts: target.threadTs,
    text,
    mrkdwn: true,
  });
  if (!response.ts) throw new Error('chat.postMessage returned no ts');
  return { ts: response.ts, text };
}

/** Sets one message's text, skipping the call when it already reads that. */
export async function updateAnswerMessage(
  client: WebClient,
  target: AnswerTarget,
  message: AnswerMessage,
  text: string,
): Promise<void> {
  if (message.text === text) return;
  await client.chat.update({ channel: target.channelId, ts: message.ts, text });
  message.text = text;
}

/**
 * Makes `messages` read exactly `chunks`, in order: edits the ones that
 * differ, posts the ones missing after them, deletes the surplus (newest
 * first, so the thread never shows a gap in the middle). Mutates `messages`.
 */
export async function syncAnswerMessages(
  client: WebClient,
  target: AnswerTarget,
  messages: AnswerMessage[],
  chunks: readonly string[],
): Promise<void> {
  for (const [index, chunk] of chunks.entries()) {
    const message = messages[index];
    if (message) await updateAnswerMessage(client, target, message, chunk);
    else messages.push(await postAnswerMessage(client, target, chunk));
  }
  while (messages.length > chunks.length) {
    const surplus = messages.at(-1) as AnswerMessage;
    await client.chat.delete({ channel: target.channelId, ts: surplus.ts });
    messages.pop();
  }
}
