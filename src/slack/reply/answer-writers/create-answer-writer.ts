/**
 * Picks how an answer reaches Slack (ANSWER_DELIVERY): streaming, which falls
 * back to progressive updates where Slack refuses it; updates; or one post
 * at the end.
 */
import type { WebClient } from '@slack/web-api';
import type { AnswerDelivery } from '../../../config.ts';
import type { AnswerTarget, AnswerWriter } from '../../../conversation/ports.ts';
import type { Logger } from '../../../logger.ts';
import { createPostAnswerWriter } from './post-answer-writer.ts';
import { createStreamAnswerWriter } from './stream-answer-writer.ts';
import { createUpdateAnswerWriter } from './update-answer-writer.ts';

export interface AnswerWriterOptions {
  client: WebClient;
  delivery: AnswerDelivery;
  logger: Logger;
}

export function createAnswerWriter(options: AnswerWriterOptions, target: AnswerTarget): AnswerWriter {
  return guardProgress(chooseAnswerWriter(options, target), options.logger);
}

function chooseAnswerWriter(options: AnswerWriterOptions, target: AnswerTarget): AnswerWriter {
  const { client, logger } = options;
  switch (options.delivery) {
    case 'stream':
      return createStreamAnswerWriter({ client, logger }, target);
    case 'update':
      return createUpdateAnswerWriter({ client, logger }, target);
    case 'post':
      return createPostAnswerWriter(client, target);
  }
}

/**
 * progress() runs inside the model's token loop: a throw there would fail an
 * answer that could still be delivered, so it is logged (once) and dropped;
 * finish() is where delivery problems are reported.
 */
function guardProgress(writer: AnswerWriter, logger: Logger): AnswerWriter {
  let reported = false;
  return {
    showsProgress: writer.showsProgress,
    progress(markdownSoFar) {
      try {
        writer.progress(markdownSoFar);
      } catch (error) {
        if (reported) return;
        reported = true;
        logger.warn('could not show the answer so far; the final answer is still delivered:', error);
      }
    },
    finish: (markdown) => writer.finish(markdown),
    abandon: () => writer.abandon(),
  };
}
