/**
 * Intake: every question is recorded durably when it arrives (a redelivered
 * event is a no-op), then queued; after a restart, questions a crash left
 * unfinished are queued again, or visibly failed when too old.
 */
import { createErrorReference } from '../errors.ts';
import type { NewQuestion, QuestionRecord } from '../db/question-store.ts';
import { answerQuestion, type AnswerDependencies } from './answer-question.ts';
import { KeyedJobQueue } from './job-queue.ts';
import { STATUS_REACTION } from './status-reactions.ts';

/**
 * With this many questions per answer slot already waiting for a slot, a new
 * asker is told theirs is queued. Questions waiting behind their own thread
 * are not told: the thread shows Pulse is already answering there.
 */
export const BUSY_QUEUE_FACTOR = 2;

export const BUSY_NOTICE =
  ":hourglass_flowing_sand: I'm answering several questions right now. Yours is queued and I'll reply here as soon as I can.";
export const TOO_OLD_NOTICE =
  ":warning: I was restarted before I could answer this, and it's now too old to answer reliably. Please ask again.";

export type IntakeResult = 'accepted' | 'queued_busy' | 'duplicate';

export interface ConversationServiceOptions {
  maxConcurrent: number;
  maxQuestionAgeMs: number;
  now?: () => number;
}

export class ConversationService {
  private readonly queue: KeyedJobQueue;
  private readonly now: () => number;

  constructor(
    private readonly deps: AnswerDependencies,
    private readonly options: ConversationServiceOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.queue = new KeyedJobQueue({
      concurrency: options.maxConcurrent,
      onError: (error) => deps.logger.error('answer job crashed:', error),
    });
  }

  /** Records and queues a question; Slack redeliveries come back as 'duplicate'. */
  submit(question: NewQuestion): IntakeResult {
    const record = this.deps.questions.recordIfNew(question);
    if (!record) {
      this.deps.logger.debug(`question ${question.dedupeKey} already recorded; ignoring redelivery`);
      return 'duplicate';
    }
    const placement = this.enqueue(record);
    const busy = placement === 'waiting' && this.queue.waitingForSlot > this.options.maxConcurrent * BUSY_QUEUE_FACTOR;
    if (busy) {
      void this.tellQueued(record);
      return 'queued_busy';
    }
    return 'accepted';
  }

  /** Whether a channel thread is one Pulse answers in (so replies there need no mention). */
  isPulseThread(teamId: string, channelId: string, threadTs: string): boolean {
    return this.deps.questions.hasAnsweredInThread(teamId, channelId, threadTs);
  }

  /** Re-queues what a previous process accepted but did not finish; fails the ones too old to answer. */
  async resumeUnfinished(teamId: string): Promise<number> {
    const unfinished = this.deps.questions.listUnfinished(teamId);
    let resumed = 0;
    for (const question of unfinished) {
      if (this.now() - question.receivedAt.getTime() > this.options.maxQuestionAgeMs) {
        await this.failAsTooOld(question);
      } else {
        this.enqueue(question);
        resumed += 1;
      }
    }
    if (unfinished.length > 0) {
      this.deps.logger.info(`resuming ${resumed} unfinished question(s); ${unfinished.length - resumed} too old to answer`);
    }
    return resumed;
  }

  private enqueue(question: QuestionRecord) {
    return this.queue.push(`${question.teamId}:${question.replyChannelId}:${question.replyThreadTs ?? question.id}`, async () => {
      const current = this.deps.questions.get(question.id);
      if (!current || current.status === 'answered' || current.status === 'failed') return;
      await answerQuestion(current, this.deps);
    });
  }

  private async tellQueued(question: QuestionRecord): Promise<void> {
    try {
      if (question.replyThreadTs) await this.deps.slack.postNotice(question.replyChannelId, question.replyThreadTs, BUSY_NOTICE);
      else await this.deps.slack.notifyPrivately(question.userId, BUSY_NOTICE);
    } catch (error) {
      this.deps.logger.warn('could not post the queued notice:', error);
    }
  }

  private async failAsTooOld(question: QuestionRecord): Promise<void> {
    const { slack, questions, logger } = this.deps;
    questions.finish(question.id, { status: 'failed', errorCode: 'too_old', errorRef: createErrorReference() });
    try {
      if (question.replyThreadTs) await slack.postNotice(question.replyChannelId, question.replyThreadTs, TOO_OLD_NOTICE);
      else await slack.notifyPrivately(question.userId, TOO_OLD_NOTICE);
      if (question.statusTs) {
        const channel = question.source === 'shortcut_dm' ? question.replyChannelId : question.channelId;
        await slack.addReaction(channel, question.statusTs, STATUS_REACTION.failed);
        await slack.removeReaction(channel, question.statusTs, STATUS_REACTION.working);
      }
    } catch (error) {
      logger.warn(`could not report question ${question.id} as too old:`, error);
    }
  }

  /** Waits for queued answers to finish (graceful shutdown). */
  drain(): Promise<void> {
    return this.queue.onIdle();
  }
}
