/** Picks how an answer reaches Slack (ANSWER_DELIVERY). */
import type { WebClient } from '@slack/web-api';
import type { AnswerDelivery } from '../../../config.ts';
import type { AnswerTarget, AnswerWriter } from '../../../conversation/ports.ts';
import type { Logger } from '../../../logger.ts';
import { createPostAnswerWriter } from './post-answer-writer.ts';

export interface AnswerWriterOptions {
  client: WebClient;
  delivery: AnswerDelivery;
  logger: Logger;
}

export function createAnswerWriter(options: AnswerWriterOptions, target: AnswerTarget): AnswerWriter {
  return createPostAnswerWriter(options.client, target);
}
