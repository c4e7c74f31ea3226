/**
 * Usage figures from the answers Pulse recorded (tokens per answer come from
 * the provider's usage field). Scheduled reports' model runs count too, as
 * their owners' tokens (not as questions).
 */
import { and, eq, gte, sql } from 'drizzle-orm';
import type { PulseDatabase } from './open-database.ts';
import { questions, reportRuns } from './schema.ts';

export interface DailyUsage {
  day: string;
  questions: number;
  tokens: number;
}

export interface UserUsage {
  userId: string;
  questions: number;
  tokens: number;
}

const tokens = sql<number>`coalesce(sum(coalesce(${questions.promptTokens}, 0) + coalesce(${questions.completionTokens}, 0)), 0)`;
/** Days are UTC calendar days. */
const day = sql<string>`strftime('%Y-%m-%d', ${questions.receivedAt} / 1000, 'unixepoch')`;

const reportTokens = sql<number>`coalesce(sum(coalesce(${reportRuns.promptTokens}, 0) + coalesce(${reportRuns.completionTokens}, 0)), 0)`;
const reportDay = sql<string>`strftime('%Y-%m-%d', ${reportRuns.claimedAt} / 1000, 'unixepoch')`;

export function createUsageStore(db: PulseDatabase) {
  /** Report runs' tokens since `since`, grouped by `key`. */
  const reportUsage = <Key extends typeof reportDay | typeof reportRuns.ownerId>(teamId: string, since: Date, key: Key, userId?: string) =>
    db
      .select({ key, tokens: reportTokens })
      .from(reportRuns)
      .where(and(eq(reportRuns.teamId, teamId), gte(reportRuns.claimedAt, since.getTime()), ...(userId ? [eq(reportRuns.ownerId, userId)] : [])))
      .groupBy(key)
      .all()
      .filter((row) => row.tokens > 0);

  return {
    daily(teamId: string, since: Date): DailyUsage[] {
      const days = new Map(
        db
          .select({ day, questions: sql<number>`count(*)`, tokens })
          .from(questions)
          .where(and(eq(questions.teamId, teamId), gte(questions.receivedAt, since)))
          .groupBy(day)
          .all()
          .map((row) => [row.day, row]),
      );
      for (const { key, tokens: spent } of reportUsage(teamId, since, reportDay)) {
        const row = days.get(key) ?? { day: key, questions: 0, tokens: 0 };
        days.set(key, { ...row, tokens: row.tokens + spent });
      }
      return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
    },

    topUsers(teamId: string, since: Date, limit: number): UserUsage[] {
      const users = new Map(
        db
          .select({ userId: questions.userId, questions: sql<number>`count(*)`, tokens })
          .from(questions)
          .where(and(eq(questions.teamId, teamId), gte(questions.receivedAt, since)))
          .groupBy(questions.userId)
          .all()
          .map((row) => [row.userId, row]),
      );
      for (const { key, tokens: spent } of reportUsage(teamId, since, reportRuns.ownerId)) {
        const row = users.get(key) ?? { userId: key, questions: 0, tokens: 0 };
        users.set(key, { ...row, tokens: row.tokens + spent });
      }
      return [...users.values()].sort((a, b) => b.tokens - a.tokens || b.questions - a.questions).slice(0, limit);
    },

    /** Tokens spent since `since`, for the workspace or one person. */
    tokensSince(teamId: string, since: Date, userId?: string): number {
      const row = db
        .select({ tokens })
        .from(questions)
        .where(
          and(
            eq(questions.teamId, teamId),
            gte(questions.receivedAt, since),
            ...(userId ? [eq(questions.userId, userId)] : []),
          ),
        )
        .get();
      const reported = reportUsage(teamId, since, reportRuns.ownerId, userId).reduce((sum, report) => sum + report.tokens, 0);
      return (row?.tokens ?? 0) + reported;
    },
  };
}

export type UsageStore = ReturnType<typeof createUsageStore>;
