/** Usage figures from the answers Pulse recorded (tokens per answer come from the provider's usage field). */
import { and, desc, eq, gte, sql } from 'drizzle-orm';
import type { PulseDatabase } from './open-database.ts';
import { questions } from './schema.ts';

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

export function createUsageStore(db: PulseDatabase) {
  return {
    daily(teamId: string, since: Date): DailyUsage[] {
      return db
        .select({ day, questions: sql<number>`count(*)`, tokens })
        .from(questions)
        .where(and(eq(questions.teamId, teamId), gte(questions.receivedAt, since)))
        .groupBy(day)
        .orderBy(day)
        .all();
    },

    topUsers(teamId: string, since: Date, limit: number): UserUsage[] {
      return db
        .select({ userId: questions.userId, questions: sql<number>`count(*)`, tokens })
        .from(questions)
        .where(and(eq(questions.teamId, teamId), gte(questions.receivedAt, since)))
        .groupBy(questions.userId)
        .orderBy(desc(tokens), desc(sql`count(*)`))
        .limit(limit)
        .all();
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
      return row?.tokens ?? 0;
    },
  };
}

export type UsageStore = ReturnType<typeof createUsageStore>;
