/**
 * Where the analytics store's time goes: a store whose prepared statements time
 * themselves, the time inside the transactions it opens (the rest is BEGIN and
 * COMMIT), statements ranked by time with the plans of the costliest, and the
 * plans of the SQL a query call runs. Bench-only: each works by wrapping
 * better-sqlite3's prepare or transaction on the client for one call and
 * removing the wrapper after.
 */
import { performance } from 'node:perf_hooks';
import { createAnalyticsStore, type AnalyticsStore } from '../../src/db/analytics-store.ts';
import type { PulseDatabase } from '../../src/db/open-database.ts';

type Client = PulseDatabase['$client'];

export interface StatementTiming {
  sql: string;
  calls: number;
  ms: number;
  lastArgs: unknown[];
}

export interface RankedStatement {
  sql: string;
  calls: number;
  ms: number;
  share: number;
  plan: string[];
}

/** A store whose statements time themselves (bench-only: the store prepares them all up front). */
export function createProfiledStore(db: PulseDatabase, timings: StatementTiming[]): AnalyticsStore {
  const client = db.$client;
  const prepare = client.prepare.bind(client);
  client.prepare = ((sql: string) => {
    const statement = prepare(sql);
    const timing: StatementTiming = { sql: sql.replace(/\s+/g, ' ').trim(), calls: 0, ms: 0, lastArgs: [] };
    timings.push(timing);
    for (const method of ['run', 'get', 'all'] as const) {
      const original = (statement[method] as (...args: unknown[]) => unknown).bind(statement);
      Object.defineProperty(statement, method, {
        value: (...args: unknown[]) => {
          const startedAt = performance.now();
          try {
            return original(...args);
          } finally {
            timing.ms += performance.now() - startedAt;
            timing.calls += 1;
            timing.lastArgs = args;
          }
        },
      });
    }
    return statement;
  }) as Client['prepare'];
  try {
    return createAnalyticsStore(db);
  } finally {
    Reflect.deleteProperty(client, 'prepare');
  }
}

function explain(client: Client, sql: string, args: unknown[]): string[] {
  const rows = client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { id: number; parent: number; detail: string }[];
  const depth = new Map<number, number>([[0, 0]]);
  return rows.map((row) => {
    const level = (depth.get(row.parent) ?? 0) + 1;
    depth.set(row.id, level);
    return `${'  '.repeat(level - 1)}${row.detail}`;
  });
}

/** Runs `work` and returns the time spent inside the transactions it opens: the rest of its time is BEGIN and COMMIT. */
export function timeInsideTransactions(db: PulseDatabase, work: () => void): number {
  const client = db.$client;
  const transaction = client.transaction.bind(client);
  let insideMs = 0;
  client.transaction = ((fn: (...args: unknown[]) => unknown) =>
    transaction((...args: unknown[]) => {
      const startedAt = performance.now();
      try {
        return fn(...args);
      } finally {
        insideMs += performance.now() - startedAt;
      }
    })) as Client['transaction'];
  try {
    work();
  } finally {
    Reflect.deleteProperty(client, 'transaction');
  }
  return insideMs;
}

/** Statements by time spent, BEGIN/COMMIT and the JS around the statements as lines of their own, plans for the costliest. */
export function rankStatements(db: PulseDatabase, timings: readonly StatementTiming[], writeMs: number, insideMs: number): RankedStatement[] {
  const statementMs = timings.reduce((sum, timing) => sum + timing.ms, 0);
  const commit = { sql: '(BEGIN + COMMIT, with any WAL auto-checkpoint)', calls: 0, ms: writeMs - insideMs, lastArgs: [] };
  const glue = { sql: '(JS between statements: row objects, transaction wrapper)', calls: 0, ms: insideMs - statementMs, lastArgs: [] };
  return [...timings, commit, glue]
    .sort((a, b) => b.ms - a.ms)
    .map((timing, rank) => ({
      sql: timing.sql,
      calls: timing.calls,
      ms: timing.ms,
      share: timing.ms / writeMs,
      plan: rank < 8 && timing.calls > 0 ? explain(db.$client, timing.sql, timing.lastArgs) : [],
    }));
}

/** The plans of the SQL one call runs, read by recording what it prepares (queries prepare lazily). */
export function planQuestion(db: PulseDatabase, ask: () => unknown): string[][] {
  const client = db.$client;
  const prepare = client.prepare.bind(client);
  const seen: { sql: string; args: unknown[] }[] = [];
  client.prepare = ((sql: string) => {
    const statement = prepare(sql);
    const all = statement.all.bind(statement) as (...args: unknown[]) => unknown[];
    Object.defineProperty(statement, 'all', { value: (...args: unknown[]) => (seen.push({ sql, args }), all(...args)) });
    return statement;
  }) as Client['prepare'];
  try {
    ask();
  } finally {
    Reflect.deleteProperty(client, 'prepare');
  }
  return seen.map(({ sql, args }) => explain(client, sql, args));
}
