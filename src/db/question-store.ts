/**
 * Durable record of questions: intake dedupes redeliveries, the pipeline
 * moves each row through received → answering → answered | failed, and
 * startup finds the ones a crash interrupted.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { PulseDatabase } from './open-database.ts';
import { questions, type QuestionSource, type QuestionStatus } from './schema.ts';

export type QuestionRecord = typeof questions.$inferSelect;

export interface NewQuestion {
  teamId: string;
  channelId: string;
  messageTs: string;
  threadTs: string;
  userId: string;
  source: QuestionSource;
  eventId?: string | undefined;
}

export interface QuestionOutcome {
  status: Extract<QuestionStatus, 'answered' | 'failed'>;
  answerTs?: string | undefined;
  errorCode?: string | undefined;
  errorRef?: string | undefined;
  model?: string | undefined;
  promptTokens?: number | undefined;
  completionTokens?: number | undefined;
}

export function createQuestionStore(db: PulseDatabase, now: () => Date = () => new Date()) {
  return {
    /** Records a question; returns undefined when it was already recorded (a redelivery). */
    recordIfNew(question: NewQuestion): QuestionRecord | undefined {
      return db
        .insert(questions)
        .values({ ...question, eventId: question.eventId ?? null, receivedAt: now() })
        .onConflictDoNothing()
        .returning()
        .get();
    },

    markAnswering(id: number): void {
      db.update(questions)
        .set({ status: 'answering', startedAt: now(), attempts: sqlIncrement() })
        .where(eq(questions.id, id))
        .run();
    },

    finish(id: number, outcome: QuestionOutcome): void {
      db.update(questions)
        .set({
          status: outcome.status,
          answerTs: outcome.answerTs ?? null,
          errorCode: outcome.errorCode ?? null,
          errorRef: outcome.errorRef ?? null,
          model: outcome.model ?? null,
          promptTokens: outcome.promptTokens ?? null,
          completionTokens: outcome.completionTokens ?? null,
          finishedAt: now(),
        })
        .where(eq(questions.id, id))
        .run();
    },

    get(id: number): QuestionRecord | undefined {
      return db.select().from(questions).where(eq(questions.id, id)).get();
    },

    /** Questions a previous process accepted but never finished. */
    listUnfinished(teamId: string): QuestionRecord[] {
      return db
        .select()
        .from(questions)
        .where(and(eq(questions.teamId, teamId), inArray(questions.status, ['received', 'answering'])))
        .all();
    },

    /** Whether Pulse has answered in this thread before (follow-ups need no new mention). */
    hasAnsweredInThread(teamId: string, channelId: string, threadTs: string): boolean {
      const row = db
        .select({ id: questions.id })
        .from(questions)
        .where(
          and(
            eq(questions.teamId, teamId),
            eq(questions.channelId, channelId),
            eq(questions.threadTs, threadTs),
            eq(questions.status, 'answered'),
          ),
        )
        .limit(1)
        .get();
      return row !== undefined;
    },
  };
}

function sqlIncrement() {
  return sql`${questions.attempts} + 1`;
}


export type QuestionStore = ReturnType<typeof createQuestionStore>;
