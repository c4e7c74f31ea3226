/**
 * The answering pipeline for one recorded question:
 * 👀 → context → LLM → answer in the thread → ✅ (👀 removed);
 * on failure ❌ (👀 removed) and a short human explanation in the thread.
 */
import { createErrorReference, describeErrorForUser, UserFacingError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { isDatabaseBusy, type QuestionOutcome, type QuestionRecord, type QuestionStore } from '../db/question-store.ts';
import { trimContextToBudget } from './context-budget.ts';
import type {
  AnswerGenerator,
  AnswerWriter,
  ContextMessage,
  ContextRequest,
  PersonDescription,
  SlackConversationPort,
} from './ports.ts';
import { buildShortcutTurn } from './shortcut-question.ts';
import { STATUS_REACTION } from './status-reactions.ts';

/** DESIGN: the model reads exactly the last 20 messages of the thread or conversation. */
export const CONTEXT_MESSAGE_LIMIT = 20;

/** The reply to a mention with nothing after it: how to use Pulse, without spending a model call. */
export const EMPTY_MENTION_REPLY =
  "Hi! I'm Pulse. Mention me with a question — for example “summarise this thread” or “what did we decide about the release?” — and I'll answer here.";

/** A mention with no words and no files: there is nothing to answer. */
function isEmptyMention(question: QuestionRecord, context: readonly ContextMessage[]): boolean {
  if (question.source !== 'mention') return false;
  const asked = context.find((message) => message.ts === question.messageTs);
  return asked !== undefined && asked.files.length === 0 && asked.text.replace(/@Pulse\b/g, '').trim() === '';
}

export interface AnswerDependencies {
  slack: SlackConversationPort;
  generator: AnswerGenerator;
  questions: QuestionStore;
  logger: Logger;
  contextTokenBudget: number;
  /** Why this person may not use the model now (a daily token budget), or undefined. */
  budgetProblem?: (teamId: string, userId: string) => string | undefined;
}

const isShortcut = (question: QuestionRecord) => question.source === 'shortcut' || question.source === 'shortcut_dm';
const isDirectMessage = (channelId: string) => channelId.startsWith('D');

/** Which messages the model reads for a question. */
export function contextRequestFor(question: QuestionRecord): ContextRequest {
  if (isShortcut(question)) {
    // The message's thread: all of it when the message is the root, else up to the message.
    return {
      channelId: question.channelId,
      threadTs: question.threadTs,
      fromThread: true,
      untilTs: question.messageTs === question.threadTs ? undefined : question.messageTs,
    };
  }
  return {
    channelId: question.channelId,
    threadTs: question.threadTs,
    fromThread: question.threadTs !== question.messageTs,
    untilTs: question.messageTs,
  };
}

/** Where the answer goes and which message carries the status reactions. */
interface Placement {
  channelId: string;
  threadTs: string;
  statusTs: string;
}

async function placeAnswer(question: QuestionRecord, deps: AnswerDependencies): Promise<Placement> {
  if (question.replyThreadTs && question.statusTs) {
    return { channelId: question.replyChannelId, threadTs: question.replyThreadTs, statusTs: question.statusTs };
  }
  // "Ask Pulse in DM": open the private thread the answer will live in.
  const introTs = await deps.slack.openPrivateAnswer({
    dmChannelId: question.replyChannelId,
    sourceChannelId: question.channelId,
    sourceMessageTs: question.messageTs,
    instruction: question.instruction ?? undefined,
  });
  deps.questions.setReplyThread(question.id, introTs, introTs);
  return { channelId: question.replyChannelId, threadTs: introTs, statusTs: introTs };
}

/** The status reactions sit on the question itself, or on a private answer's opening message. */
function statusChannelOf(question: QuestionRecord, placement: Placement): string {
  return question.source === 'shortcut_dm' ? placement.channelId : question.channelId;
}


async function buildContext(
  question: QuestionRecord,
  deps: AnswerDependencies,
  askerLookup: Promise<PersonDescription>,
): Promise<ContextMessage[]> {
  const context = await deps.slack.fetchContext(contextRequestFor(question), CONTEXT_MESSAGE_LIMIT);
  if (!isShortcut(question)) return context;
  const asker = await askerLookup;
  const turn = buildShortcutTurn({
    context,
    targetTs: question.messageTs,
    askerId: question.userId,
    askerName: asker.name,
    instruction: question.instruction,
    ts: `${Math.floor(question.receivedAt.getTime() / 1000)}.000000`,
  });
  // The shortcut's turn is the question; the context keeps 20 messages in all.
  return [...context.slice(-(CONTEXT_MESSAGE_LIMIT - 1)), turn];
}

export async function answerQuestion(question: QuestionRecord, deps: AnswerDependencies): Promise<void> {
  const { slack, generator, questions, logger } = deps;
  let placement: Placement | undefined;
  let writer: AnswerWriter | undefined;
  try {
    questions.markAnswering(question.id);
    placement = await placeAnswer(question, deps);
    const where = placement;
    const statusChannel = statusChannelOf(question, where);
    await bestEffort(logger, 'add 👀', () => slack.addReaction(statusChannel, where.statusTs, STATUS_REACTION.working));
    // The status is a nicety: it runs alongside the context fetch, never ahead of it.
    const thinking = isDirectMessage(where.channelId) ? slack.showThinking(where.channelId, where.threadTs) : undefined;
    // One lookup of the asker serves the shortcut's turn and the model's time zone.
    const askerLookup = slack.describeUser(question.userId);
    const [context, asker] = await Promise.all([buildContext(question, deps, askerLookup), askerLookup]);
    await thinking;
    if (isEmptyMention(question, context)) {
      await slack.postNotice(where.channelId, where.threadTs, EMPTY_MENTION_REPLY);
      await recordDelivered(question, { status: 'answered' }, deps);
      await showOutcome(deps, statusChannel, where.statusTs, STATUS_REACTION.answered);
      return;
    }
    const overBudget = deps.budgetProblem?.(question.teamId, question.userId);
    if (overBudget) throw new UserFacingError('budget_exceeded', overBudget);
    const { messages, droppedMessages, questionTruncated } = trimContextToBudget(context, deps.contextTokenBudget);
    if (droppedMessages > 0 || questionTruncated) {
      logger.debug(`question ${question.id}: ${droppedMessages} older message(s) left out to fit the token budget`);
    }
    const target = { teamId: question.teamId, channelId: where.channelId, threadTs: where.threadTs, recipientUserId: question.userId };
    writer = slack.openAnswer(target);
    const answer = await generator.generateAnswer(
      {
        teamId: question.teamId,
        askerId: question.userId,
        askerTimeZone: asker.timeZone,
        context: messages,
        files: slack.threadFiles(target),
        thread: { channelId: target.channelId, threadTs: target.threadTs },
      },
      writer.showsProgress ? writer.progress : undefined,
    );
    const answerTs = await writer.finish(answer.markdown);
    await recordDelivered(
      question,
      {
        status: 'answered',
        answerTs,
        model: answer.model,
        promptTokens: answer.usage.promptTokens,
        completionTokens: answer.usage.completionTokens,
      },
      deps,
    );
    await showOutcome(deps, statusChannel, where.statusTs, STATUS_REACTION.answered);
  } catch (error) {
    await reportFailure(question, placement, writer, error, deps);
  }
}

/** Tries at recording a delivered answer while another connection holds the database; each waits out busy_timeout. */
const RECORD_DELIVERED_ATTEMPTS = 3;
const RECORD_RETRY_PAUSE_MS = 1_000;

/**
 * Records an answer that is already in Slack, retrying while the database is
 * busy. Failing to record it never turns it into a failed question (the
 * asker would see the answer and an error); if it still cannot be recorded it
 * is logged, and the row stays unfinished.
 */
async function recordDelivered(question: QuestionRecord, outcome: QuestionOutcome, deps: AnswerDependencies): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      deps.questions.finish(question.id, outcome);
      return;
    } catch (error) {
      if (!isDatabaseBusy(error) || attempt >= RECORD_DELIVERED_ATTEMPTS) {
        deps.logger.error(`question ${question.id} was answered, but recording that failed (ref ${createErrorReference()}):`, error);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, RECORD_RETRY_PAUSE_MS));
    }
  }
}

async function reportFailure(
  question: QuestionRecord,
  placement: Placement | undefined,
  writer: AnswerWriter | undefined,
  error: unknown,
  deps: AnswerDependencies,
): Promise<void> {
  const { questions, logger } = deps;
  const reference = createErrorReference();
  const code = error instanceof UserFacingError ? error.code : 'internal';
  logger.error(`question ${question.id} failed (ref ${reference}, ${code}):`, error);
  // A run that failed after spending tokens still counts toward usage and budgets.
  const spent = (error as { spentTokens?: { promptTokens: number; completionTokens: number } } | undefined)?.spentTokens;
  await bestEffort(logger, 'record the failure', async () =>
    questions.finish(question.id, {
      status: 'failed',
      errorCode: code,
      errorRef: reference,
      promptTokens: spent?.promptTokens,
      completionTokens: spent?.completionTokens,
    }),
  );
  if (writer) await bestEffort(logger, 'withdraw the partial answer', () => (writer as AnswerWriter).abandon());
  await tellAsker(deps, question, `:warning: ${describeErrorForUser(error, reference)}`, placement);
  if (placement) {
    const where = placement;
    await showOutcome(deps, statusChannelOf(question, where), where.statusTs, STATUS_REACTION.failed);
  }
}

/** Where a question was asked and is answered: a recorded one, or one that could not be recorded. */
type AskedQuestion = Pick<QuestionRecord, 'userId' | 'source' | 'channelId' | 'replyChannelId'> & {
  replyThreadTs?: string | null | undefined;
  statusTs?: string | null | undefined;
};

/**
 * Tells the asker something in the answer's thread, or privately when there
 * is no thread yet or it is out of reach (e.g. Pulse was removed from the
 * channel): never silent.
 */
export async function tellAsker(
  deps: Pick<AnswerDependencies, 'slack' | 'logger'>,
  question: AskedQuestion,
  text: string,
  placement?: { channelId: string; threadTs: string },
): Promise<void> {
  const { slack, logger } = deps;
  const channelId = placement?.channelId ?? question.replyChannelId;
  const threadTs = placement?.threadTs ?? question.replyThreadTs;
  const posted = threadTs ? await bestEffort(logger, 'post a notice in the thread', () => slack.postNotice(channelId, threadTs, text)) : false;
  if (!posted) await bestEffort(logger, 'tell the asker privately', () => slack.notifyPrivately(question.userId, text));
}

/** The failed status on a question that never got to answering (given up, too old, not recorded). */
export async function showFailedStatus(deps: AnswerDependencies, question: AskedQuestion): Promise<void> {
  if (!question.statusTs) return;
  const channelId = question.source === 'shortcut_dm' ? question.replyChannelId : question.channelId;
  await showOutcome(deps, channelId, question.statusTs, STATUS_REACTION.failed);
}

/** ✅ or ❌ on the question, then 👀 removed (in that order, so the question is never left bare). */
async function showOutcome(deps: AnswerDependencies, channelId: string, ts: string, outcome: string): Promise<void> {
  const { slack, logger } = deps;
  await bestEffort(logger, `add ${outcome}`, () => slack.addReaction(channelId, ts, outcome));
  await bestEffort(logger, 'remove 👀', () => slack.removeReaction(channelId, ts, STATUS_REACTION.working));
}

/** Status reactions and notices must never turn an answered question into a failed one. */
async function bestEffort(logger: Logger, what: string, action: () => Promise<void>): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (error) {
    logger.warn(`could not ${what}:`, error);
    return false;
  }
}
