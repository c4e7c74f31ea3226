/**
 * Raw-SQL helpers for the read queries that drizzle's builder would make
 * slower (analytics-queries.ts, evidence-queries.ts): bound IN lists and a
 * per-database cache of prepared statements.
 */
import type { Database, Statement } from 'better-sqlite3';

/** `column IN (?, ?, …)` with the values appended to `params` in order. */
export function sqlInList(column: string, values: readonly unknown[], params: unknown[]): string {
  params.push(...values);
  return `${column} IN (${values.map(() => '?').join(', ')})`;
}

/**
 * Prepares each distinct SQL text once. The texts vary only by the length of
 * their IN lists, which the number of synced channels (and people asked about)
 * bounds, so the cache stays small.
 */
export function createStatementCache(sqlite: Database): (sql: string) => Statement<unknown[]> {
  const cache = new Map<string, Statement<unknown[]>>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = sqlite.prepare<unknown[]>(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}
