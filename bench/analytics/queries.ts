/**
 * The query phase: --runs timed runs after --warmup of each question over the
 * ingested database, with the plans of the SQL each one runs. Two carry the
 * issue's targets; the others show what the common dashboards cost.
 */
import { performance } from 'node:perf_hooks';
import { MS_PER_DAY } from '../../src/analytics/stored-message.ts';
import { createAnalyticsQueries } from '../../src/db/analytics-queries.ts';
import type { PulseDatabase } from '../../src/db/open-database.ts';
import { summarize, type Summary } from '../stats.ts';
import { TEAM_ID, YEAR_END_MS, YEAR_START_MS } from './generate.ts';
import { planQuestion } from './statement-profile.ts';

/** The targets on the project's machine. */
export const TARGET_TOP_HELPERS_MS = 50;
export const TARGET_WEEKLY_MS = 100;

export interface QueryResult {
  name: string;
  targetMs?: number;
  summary: Summary;
  rows: number;
  sample: unknown;
  plans: string[][];
}

type Queries = ReturnType<typeof createAnalyticsQueries>;

export function measureQueries(db: PulseDatabase, channelIds: string[], runs: number, warmup: number): QueryResult[] {
  const scope = {
    teamId: TEAM_ID,
    channelIds,
    fromDay: Math.floor(YEAR_START_MS / MS_PER_DAY),
    toDay: Math.floor(YEAR_END_MS / MS_PER_DAY),
  };
  const questions: { name: string; targetMs?: number; ask: (queries: Queries) => unknown[] }[] = [
    {
      name: 'top-10 people by help replies over the year',
      targetMs: TARGET_TOP_HELPERS_MS,
      ask: (queries) =>
        queries.metric({ ...scope, metric: 'help_replies', groupBy: ['person'] }).sort((a, b) => b.value - a.value).slice(0, 10),
    },
    {
      name: 'weekly messages per channel over the year',
      targetMs: TARGET_WEEKLY_MS,
      ask: (queries) => queries.metric({ ...scope, metric: 'messages', groupBy: ['channel', 'week'] }),
    },
    {
      // An asker outside one channel: per-person figures come from the channels' packed rows, not the per-day rollup.
      name: 'top-10 people by help replies over the year, every channel but one',
      ask: (queries) =>
        queries
          .metric({ ...scope, channelIds: channelIds.slice(1), metric: 'help_replies', groupBy: ['person'] })
          .sort((a, b) => b.value - a.value)
          .slice(0, 10),
    },
    { name: 'messages per person per month', ask: (queries) => queries.metric({ ...scope, metric: 'messages', groupBy: ['person', 'month'] }) },
    {
      name: 'help replies per person per channel, every channel but one',
      ask: (queries) => queries.metric({ ...scope, channelIds: channelIds.slice(1), metric: 'help_replies', groupBy: ['person', 'channel'] }),
    },
    {
      name: 'median minutes to first reply per channel',
      ask: (queries) => queries.metric({ ...scope, metric: 'median_minutes_to_first_reply', groupBy: ['channel'] }),
    },
    {
      name: 'deepest 10 threads with github_pr links',
      ask: (queries) => queries.threads({ ...scope, linkKinds: ['github_pr'], order: 'replies', limit: 10 }),
    },
  ];
  const queries = createAnalyticsQueries(db);
  return questions.map((question) => {
    for (let index = 0; index < warmup; index += 1) question.ask(queries);
    const samples: number[] = [];
    let answer: unknown[] = [];
    for (let index = 0; index < runs; index += 1) {
      const startedAt = performance.now();
      answer = question.ask(queries);
      samples.push(performance.now() - startedAt);
    }
    return {
      name: question.name,
      ...(question.targetMs === undefined ? {} : { targetMs: question.targetMs }),
      summary: summarize(samples),
      rows: answer.length,
      sample: answer.slice(0, 3),
      plans: planQuestion(db, () => question.ask(createAnalyticsQueries(db))),
    };
  });
}
