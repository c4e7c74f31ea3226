/**
 * Intake: every question is recorded durably when it arrives (a redelivered
 * event is a no-op), then queued — or, when the database will not take it,
 * visibly refused; after a restart, questions a crash left unfinished are
 * queued again, or visibly failed when too old.
 */
import { createErrorReference, describeErrorForUser } from '../errors.ts';
import { isDatabaseBusy, type NewQuestion, type QuestionRecord } from '../db/question-store.ts';
import { answerQuestion, showFailedStatus, tellAsker, type AnswerDependencies } from './answer-question.ts';
import { KeyedJobQueue } from './job-queue.ts';

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

/** A question that has been started this many times without finishing (e.g. it crashed the process) is not tried again. */
export const MAX_ANSWER_ATTEMPTS = 2;
export const GAVE_UP_NOTICE =
  ":warning: I tried to answer this twice and was interrupted both times, so I've stopped trying. Please ask again, perhaps more simply.";

/** A question the database would not take (another connection held it past busy_timeout). */
export function databaseBusyNotice(reference: string): string {
  return `:warning: I couldn't take this question because my database was busy for too long (ref \`${reference}\`). Please ask again in a minute.`;
}

export type IntakeResult = 'accepted' | 'queued_busy' | 'duplicate' | 'not_recorded';

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
    let record: QuestionRecord | undefined;
    try {
      record = this.deps.questions.recordIfNew(question);
    } catch (error) {
      // Slack has had its ack and will not send the event again: unless the asker is told, the question is lost without a word.
      void this.refuseUnrecorded(question, error);
      return 'not_recorded';
    }
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
        await this.failUnfinished(question, 'too_old', TOO_OLD_NOTICE);
      } else if (question.attempts >= MAX_ANSWER_ATTEMPTS) {
        // It keeps being interrupted (perhaps it crashes the process): stop the loop.
        await this.failUnfinished(question, 'gave_up', GAVE_UP_NOTICE);
      } else {
        this.enqueue(question);
        resumed += 1;
      }
    }
    if (unfinished.length > 0) {
      this.deps.logger.info(`resuming ${resumed} unfinished question(s); ${unfinished.length - resumed} given up (too old or interrupted twice)`);
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
    await tellAsker(this.deps, question, BUSY_NOTICE);
  }

  private async refuseUnrecorded(question: NewQuestion, error: unknown): Promise<void> {
    const reference = createErrorReference();
    this.deps.logger.error(`could not record question ${question.dedupeKey} (ref ${reference}):`, error);
    const notice = isDatabaseBusy(error) ? databaseBusyNotice(reference) : `:warning: ${describeErrorForUser(error, reference)}`;
    await tellAsker(this.deps, question, notice);
    await showFailedStatus(this.deps, question);
  }

  private async failUnfinished(question: QuestionRecord, code: string, notice: string): Promise<void> {
    this.deps.questions.finish(question.id, { status: 'failed', errorCode: code, errorRef: createErrorReference() });
    await tellAsker(this.deps, question, notice);
    await showFailedStatus(this.deps, question);
  }

  /**
   * Graceful shutdown: no queued answer is started any more (they are
   * resumed after the restart); resolves when the running ones finish.
   */
  drain(): Promise<void> {
    this.queue.close();
    return this.queue.onIdle();
  }

  /** Answers again after drain(): the queued questions start. */
  resume(): void {
    this.queue.reopen();
  }
}
