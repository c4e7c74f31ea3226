/** The plainest delivery: nothing until the answer is complete, then one post per chunk. */
import type { WebClient } from '@slack/web-api';
import type { AnswerTarget, AnswerWriter } from '../../../conversation/ports.ts';
import { convertMarkdownToMrkdwn } from '../markdown-to-mrkdwn.ts';
import { splitMessage } from '../split-message.ts';

/** Posts an answer's mrkdwn chunks in order; returns the first message's ts. */
export async function postAnswerChunks(client: WebClient, target: AnswerTarget, markdown: string): Promise<string> {
  let firstTs: string | undefined;
  for (const chunk of splitMessage(convertMarkdownToMrkdwn(markdown))) {
    const response = await client.chat.postMessage({
      channel: target.channelId,
      thread_ts: target.threadTs,
      text: chunk,
      mrkdwn: true,
    });
    firstTs ??= response.ts;
  }
  if (!firstTs) throw new Error('the answer was empty: nothing to post');
  return firstTs;
}

export function createPostAnswerWriter(client: WebClient, target: AnswerTarget): AnswerWriter {
  return {
    showsProgress: false,
    progress: () => undefined,
    finish: (markdown) => postAnswerChunks(client, target, markdown),
    abandon: async () => undefined,
  };
}
