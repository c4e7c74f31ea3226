/**
 * Durable record of questions: intake dedupes redeliveries, the pipeline
 * moves each row through received → answering → answered | failed, and
 * startup finds the ones a crash interrupted.
 */
import Database from 'better-sqlite3';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { PulseDatabase } from './open-database.ts';
import { questions, type QuestionSource, type QuestionStatus } from './schema.ts';

export type QuestionRecord = typeof questions.$inferSelect;

export interface NewQuestion {
  teamId: string;
  dedupeKey: string;
  source: QuestionSource;
  userId: string;
  channelId: string;
  messageTs: string;
  threadTs: string;
  instruction?: string | undefined;
  replyChannelId: string;
  replyThreadTs?: string | undefined;
  statusTs?: string | undefined;
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

/** The dedupe key of a question that is a Slack message (DM, mention, follow-up). */
export function messageDedupeKey(channelId: string, ts: string): string {
  return `msg:${channelId}:${ts}`;
}

/** Whether a write failed because another connection held the database past busy_timeout. */
export function isDatabaseBusy(error: unknown): boolean {
  return error instanceof Database.SqliteError && /^SQLITE_(BUSY|LOCKED)/.test(error.code);
}

export function createQuestionStore(db: PulseDatabase, now: () => Date = () => new Date()) {
  // Statements on the hot path are prepared once: building and preparing them per call costs ~0.3 ms each.
  const placeholder = (name: string) => sql.placeholder(name);
  const insert = db
    .insert(questions)
    .values({
      teamId: placeholder('teamId'),
      dedupeKey: placeholder('dedupeKey'),
      source: placeholder('source'),
      userId: placeholder('userId'),
      channelId: placeholder('channelId'),
      messageTs: placeholder('messageTs'),
      threadTs: placeholder('threadTs'),
      instruction: placeholder('instruction'),
      replyChannelId: placeholder('replyChannelId'),
      replyThreadTs: placeholder('replyThreadTs'),
      statusTs: placeholder('statusTs'),
      eventId: placeholder('eventId'),
      receivedAt: placeholder('receivedAt'),
    })
    .onConflictDoNothing()
    .returning()
    .prepare();
  // In updates a placeholder is raw SQL: timestamps are bound as epoch milliseconds, the column's storage.
  const bound = (name: string) => sql`${placeholder(name)}`;
  const answering = db
    .update(questions)
    .set({ status: 'answering', startedAt: bound('startedAt'), attempts: sql`${questions.attempts} + 1` })
    .where(eq(questions.id, placeholder('id')))
    .prepare();
  const finishing = db
    .update(questions)
    .set({
      status: bound('status'),
      answerTs: bound('answerTs'),
      errorCode: bound('errorCode'),
      errorRef: bound('errorRef'),
      model: bound('model'),
      promptTokens: bound('promptTokens'),
      completionTokens: bound('completionTokens'),
      // The instruction was only needed to answer; what people typed is not kept.
      instruction: null,
      finishedAt: bound('finishedAt'),
    })
    .where(eq(questions.id, placeholder('id')))
    .prepare();
  const byId = db
    .select()
    .from(questions)
    .where(eq(questions.id, sql.placeholder('id')))
    .prepare();
  const askedInThread = db
    .select({ id: questions.id })
    .from(questions)
    .where(
      and(
        eq(questions.teamId, sql.placeholder('teamId')),
        eq(questions.replyChannelId, sql.placeholder('channelId')),
        eq(questions.replyThreadTs, sql.placeholder('threadTs')),
      ),
    )
    .limit(1)
    .prepare();
  return {
    /** Records a question; returns undefined when it was already recorded (a redelivery). */
    recordIfNew(question: NewQuestion): QuestionRecord | undefined {
      return insert.get({
        ...question,
        instruction: question.instruction ?? null,
        replyThreadTs: question.replyThreadTs ?? null,
        statusTs: question.statusTs ?? null,
        eventId: question.eventId ?? null,
        receivedAt: now(),
      });
    },

    markAnswering(id: number): void {
      answering.run({ id, startedAt: now().getTime() });
    },

    /** Records the thread a private answer lives in once Pulse has opened it. */
    setReplyThread(id: number, replyThreadTs: string, statusTs: string): void {
      db.update(questions).set({ replyThreadTs, statusTs }).where(eq(questions.id, id)).run();
    },

    finish(id: number, outcome: QuestionOutcome): void {
      finishing.run({
        id,
        status: outcome.status,
        answerTs: outcome.answerTs ?? null,
        errorCode: outcome.errorCode ?? null,
        errorRef: outcome.errorRef ?? null,
        model: outcome.model ?? null,
        promptTokens: outcome.promptTokens ?? null,
        completionTokens: outcome.completionTokens ?? null,
        finishedAt: now().getTime(),
      });
    },

    get(id: number): QuestionRecord | undefined {
      return byId.get({ id });
    },

    /** Questions a previous process accepted but never finished. */
    listUnfinished(teamId: string): QuestionRecord[] {
      return db
        .select()
        .from(questions)
        .where(and(eq(questions.teamId, teamId), inArray(questions.status, ['received', 'answering'])))
        .orderBy(questions.id)
        .all();
    },

    /** Whether Pulse was asked in this thread before (answered, answering or failed): follow-ups need no new mention. */
    hasAnsweredInThread(teamId: string, channelId: string, threadTs: string): boolean {
      return askedInThread.get({ teamId, channelId, threadTs }) !== undefined;
    },
  };
}

export type QuestionStore = ReturnType<typeof createQuestionStore>;
