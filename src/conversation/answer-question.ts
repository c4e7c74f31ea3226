/**
 * The answering pipeline for one recorded question:
 * 👀 → context → LLM → answer in the thread → ✅ (👀 removed);
 * on failure ❌ (👀 removed) and a short human explanation in the thread.
 */
import { createErrorReference, describeErrorForUser, UserFacingError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { QuestionRecord, QuestionStore } from '../db/question-store.ts';
import type { AnswerGenerator, AnswerWriter, QuestionLocation, SlackConversationPort } from './ports.ts';
import { STATUS_REACTION } from './status-reactions.ts';

/** DESIGN: the model reads exactly the last 20 messages of the thread or conversation. */
export const CONTEXT_MESSAGE_LIMIT = 20;

export interface AnswerDependencies {
  slack: SlackConversationPort;
  generator: AnswerGenerator;
  questions: QuestionStore;
  logger: Logger;
}

export function locateQuestion(question: QuestionRecord): QuestionLocation {
  return {
    teamId: question.teamId,
    channelId: question.channelId,
    messageTs: question.messageTs,
    threadTs: question.threadTs,
    inThread: question.threadTs !== question.messageTs,
    userId: question.userId,
  };
}

export async function answerQuestion(question: QuestionRecord, deps: AnswerDependencies): Promise<void> {
  const { slack, generator, questions, logger } = deps;
  const location = locateQuestion(question);
  const { channelId, messageTs, threadTs } = location;
  questions.markAnswering(question.id);
  let writer: AnswerWriter | undefined;
  await bestEffort(logger, 'add 👀', () => slack.addReaction(channelId, messageTs, STATUS_REACTION.working));
  try {
    const context = await slack.fetchContext(location, CONTEXT_MESSAGE_LIMIT);
    writer = slack.openAnswer({ teamId: question.teamId, channelId, threadTs, recipientUserId: question.userId });
    const answer = await generator.generateAnswer(
      { teamId: question.teamId, askerId: question.userId, context },
      writer.progress,
    );
    const answerTs = await writer.finish(answer.markdown);
    questions.finish(question.id, {
      status: 'answered',
      answerTs,
      model: answer.model,
      promptTokens: answer.usage.promptTokens,
      completionTokens: answer.usage.completionTokens,
    });
    await bestEffort(logger, 'add ✅', () => slack.addReaction(channelId, messageTs, STATUS_REACTION.answered));
  } catch (error) {
    const reference = createErrorReference();
    const code = error instanceof UserFacingError ? error.code : 'internal';
    logger.error(`question ${question.id} failed (ref ${reference}, ${code}):`, error);
    questions.finish(question.id, { status: 'failed', errorCode: code, errorRef: reference });
    if (writer) await bestEffort(logger, 'withdraw the partial answer', () => (writer as AnswerWriter).abandon());
    await bestEffort(logger, 'post the failure notice', () =>
      slack.postNotice(channelId, threadTs, `:warning: ${describeErrorForUser(error, reference)}`),
    );
    await bestEffort(logger, 'add ❌', () => slack.addReaction(channelId, messageTs, STATUS_REACTION.failed));
  } finally {
    await bestEffort(logger, 'remove 👀', () => slack.removeReaction(channelId, messageTs, STATUS_REACTION.working));
  }
}

/** Status reactions and notices must never turn an answered question into a failed one. */
async function bestEffort(logger: Logger, what: string, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    logger.warn(`could not ${what}:`, error);
  }
}
