/**
 * Intake: every question is recorded durably when it arrives (a redelivered
 * event is a no-op), then queued; after a restart, questions a crash left
 * unfinished are queued again.
 */
import type { Logger } from '../logger.ts';
import type { NewQuestion, QuestionStore } from '../db/question-store.ts';
import { answerQuestion, type AnswerDependencies } from './answer-question.ts';
import { KeyedJobQueue } from './job-queue.ts';

/** Answers worked on at once across the workspace; keeps Pulse inside Slack's and the LLM's rate limits. */
export const MAX_CONCURRENT_ANSWERS = 4;

export type IntakeResult = 'accepted' | 'duplicate';

export class ConversationService {
  private readonly queue: KeyedJobQueue;

  constructor(
    private readonly deps: AnswerDependencies & { questions: QuestionStore },
    options: { concurrency?: number } = {},
  ) {
    this.queue = new KeyedJobQueue({
      concurrency: options.concurrency ?? MAX_CONCURRENT_ANSWERS,
      onError: (error) => deps.logger.error('answer job crashed:', error),
    });
  }

  get logger(): Logger {
    return this.deps.logger;
  }

  /** Records and queues a question; Slack redeliveries come back as 'duplicate'. */
  submit(question: NewQuestion): IntakeResult {
    const record = this.deps.questions.recordIfNew(question);
    if (!record) {
      this.deps.logger.debug(`question ${question.channelId}/${question.messageTs} already recorded; ignoring redelivery`);
      return 'duplicate';
    }
    this.enqueue(record.id);
    return 'accepted';
  }

  /** Re-queues what a previous process accepted but did not finish. */
  resumeUnfinished(teamId: string): number {
    const unfinished = this.deps.questions.listUnfinished(teamId);
    for (const question of unfinished) this.enqueue(question.id);
    if (unfinished.length > 0) this.deps.logger.info(`resuming ${unfinished.length} unfinished question(s)`);
    return unfinished.length;
  }

  private enqueue(questionId: number): void {
    const question = this.deps.questions.get(questionId);
    if (!question) return;
    this.queue.push(`${question.teamId}:${question.channelId}:${question.threadTs}`, async () => {
      const current = this.deps.questions.get(questionId);
      if (!current || current.status === 'answered' || current.status === 'failed') return;
      await answerQuestion(current, this.deps);
    });
  }

  /** Waits for queued answers to finish (graceful shutdown). */
  drain(): Promise<void> {
    return this.queue.onIdle();
  }
}
