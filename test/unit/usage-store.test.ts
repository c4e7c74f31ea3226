import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../src/db/open-database.ts';
import { createQuestionStore } from '../../src/db/question-store.ts';
import { createUsageStore } from '../../src/db/usage-store.ts';

const TEAM = 'T0ACME';
const OTHER_TEAM = 'T0OTHER';

const opened: OpenedDatabase[] = [];
afterEach(() => {
  for (const database of opened.splice(0)) database.close();
});

interface Asked {
  at: string;
  userId?: string;
  teamId?: string;
  /** Omitted: the question is still unanswered (no token counts recorded). */
  promptTokens?: number | undefined;
  completionTokens?: number | undefined;
}

function setUp() {
  const database = openDatabase(':memory:');
  opened.push(database);
  let current = new Date(0);
  const questions = createQuestionStore(database.db, () => current);
  let sequence = 0;
  /** Records a question received at `at`, and finishes it with the given token counts when there are any. */
  const ask = ({ at, userId = 'U0ALICE', teamId = TEAM, promptTokens, completionTokens }: Asked) => {
    current = new Date(at);
    sequence += 1;
    const ts = `1700000000.${String(sequence).padStart(6, '0')}`;
    const record = questions.recordIfNew({
      teamId,
      dedupeKey: `msg:D1:${ts}`,
      source: 'dm',
      userId,
      channelId: 'D1',
      messageTs: ts,
      threadTs: ts,
      replyChannelId: 'D1',
    });
    if (!record) throw new Error('duplicate question');
    if (promptTokens !== undefined || completionTokens !== undefined) {
      questions.finish(record.id, { status: 'answered', promptTokens, completionTokens });
    }
  };
  return { usage: createUsageStore(database.db), ask };
}

const SINCE = new Date('2025-03-01T00:00:00Z');

describe('usage store daily', () => {
  it('groups questions by UTC calendar day, oldest first, summing prompt and completion tokens', () => {
    const { usage, ask } = setUp();
    ask({ at: '2025-03-02T10:00:00Z', promptTokens: 100, completionTokens: 50 });
    ask({ at: '2025-03-01T08:00:00Z', promptTokens: 10, completionTokens: 5 });
    ask({ at: '2025-03-02T23:00:00Z', userId: 'U0BOB', promptTokens: 1_000, completionTokens: 1 });
    expect(usage.daily(TEAM, SINCE)).toEqual([
      { day: '2025-03-01', questions: 1, tokens: 15 },
      { day: '2025-03-02', questions: 2, tokens: 1_151 },
    ]);
  });

  it('splits at midnight UTC: the last millisecond of a day and the first of the next are different days', () => {
    const { usage, ask } = setUp();
    ask({ at: '2025-03-05T23:59:59.999Z', promptTokens: 1, completionTokens: 0 });
    ask({ at: '2025-03-06T00:00:00.000Z', promptTokens: 2, completionTokens: 0 });
    expect(usage.daily(TEAM, SINCE)).toEqual([
      { day: '2025-03-05', questions: 1, tokens: 1 },
      { day: '2025-03-06', questions: 1, tokens: 2 },
    ]);
  });

  it('counts unanswered questions and those with one token count missing, adding only what was recorded', () => {
    const { usage, ask } = setUp();
    ask({ at: '2025-03-03T09:00:00Z' });
    ask({ at: '2025-03-03T10:00:00Z', promptTokens: 70, completionTokens: undefined });
    ask({ at: '2025-03-03T11:00:00Z', promptTokens: undefined, completionTokens: 30 });
    expect(usage.daily(TEAM, SINCE)).toEqual([{ day: '2025-03-03', questions: 3, tokens: 100 }]);
  });

  it('leaves out questions before `since` (inclusive bound) and other workspaces’ questions', () => {
    const { usage, ask } = setUp();
    ask({ at: '2025-02-28T23:59:59.999Z', promptTokens: 999, completionTokens: 0 });
    ask({ at: '2025-03-01T00:00:00.000Z', promptTokens: 1, completionTokens: 0 });
    ask({ at: '2025-03-01T12:00:00Z', teamId: OTHER_TEAM, promptTokens: 999, completionTokens: 0 });
    expect(usage.daily(TEAM, SINCE)).toEqual([{ day: '2025-03-01', questions: 1, tokens: 1 }]);
  });

  it('has no rows for days without questions, nor for a workspace without any', () => {
    const { usage, ask } = setUp();
    ask({ at: '2025-03-01T12:00:00Z', promptTokens: 1, completionTokens: 1 });
    ask({ at: '2025-03-04T12:00:00Z', promptTokens: 1, completionTokens: 1 });
    expect(usage.daily(TEAM, SINCE).map((row) => row.day)).toEqual(['2025-03-01', '2025-03-04']);
    expect(usage.daily(OTHER_TEAM, SINCE)).toEqual([]);
  });
});

describe('usage store topUsers', () => {
  it('orders people by tokens spent, most first', () => {
    const { usage, ask } = setUp();
    ask({ at: '2025-03-02T10:00:00Z', userId: 'U0LOW', promptTokens: 10, completionTokens: 0 });
    ask({ at: '2025-03-02T10:00:00Z', userId: 'U0HIGH', promptTokens: 500, completionTokens: 500 });
    ask({ at: '2025-03-03T10:00:00Z', userId: 'U0MID', promptTokens: 100, completionTokens: 0 });
    ask({ at: '2025-03-04T10:00:00Z', userId: 'U0MID', promptTokens: 100, completionTokens: 50 });
    expect(usage.topUsers(TEAM, SINCE, 10)).toEqual([
      { userId: 'U0HIGH', questions: 1, tokens: 1_000 },
      { userId: 'U0MID', questions: 2, tokens: 250 },
      { userId: 'U0LOW', questions: 1, tokens: 10 },
    ]);
  });

  it('breaks a tie in tokens by the number of questions asked', () => {
    const { usage, ask } = setUp();
    ask({ at: '2025-03-02T10:00:00Z', userId: 'U0ONCE', promptTokens: 100, completionTokens: 0 });
    ask({ at: '2025-03-02T10:00:00Z', userId: 'U0TWICE', promptTokens: 50, completionTokens: 0 });
    ask({ at: '2025-03-02T11:00:00Z', userId: 'U0TWICE', promptTokens: 50, completionTokens: 0 });
    expect(usage.topUsers(TEAM, SINCE, 10).map((user) => user.userId)).toEqual(['U0TWICE', 'U0ONCE']);
  });

  it('returns at most `limit` people', () => {
    const { usage, ask } = setUp();
    for (let index = 0; index < 8; index += 1) {
      ask({ at: '2025-03-02T10:00:00Z', userId: `U0USER${index}`, promptTokens: index * 10, completionTokens: 0 });
    }
    expect(usage.topUsers(TEAM, SINCE, 5).map((user) => user.userId)).toEqual(['U0USER7', 'U0USER6', 'U0USER5', 'U0USER4', 'U0USER3']);
  });

  it('leaves out questions before `since` and other workspaces’ questions', () => {
    const { usage, ask } = setUp();
    ask({ at: '2025-02-28T23:00:00Z', userId: 'U0OLD', promptTokens: 9_999, completionTokens: 0 });
    ask({ at: '2025-03-02T10:00:00Z', userId: 'U0ELSEWHERE', teamId: OTHER_TEAM, promptTokens: 9_999, completionTokens: 0 });
    ask({ at: '2025-03-02T10:00:00Z', userId: 'U0ALICE', promptTokens: 1, completionTokens: 0 });
    expect(usage.topUsers(TEAM, SINCE, 5)).toEqual([{ userId: 'U0ALICE', questions: 1, tokens: 1 }]);
  });

  it('lists someone whose questions are all unanswered with zero tokens', () => {
    const { usage, ask } = setUp();
    ask({ at: '2025-03-02T10:00:00Z', userId: 'U0WAITING' });
    expect(usage.topUsers(TEAM, SINCE, 5)).toEqual([{ userId: 'U0WAITING', questions: 1, tokens: 0 }]);
  });
});

describe('usage store tokensSince', () => {
  it('sums the whole workspace’s tokens without a user, and one person’s with one', () => {
    const { usage, ask } = setUp();
    ask({ at: '2025-03-02T10:00:00Z', userId: 'U0ALICE', promptTokens: 100, completionTokens: 20 });
    ask({ at: '2025-03-02T11:00:00Z', userId: 'U0BOB', promptTokens: 300, completionTokens: 5 });
    ask({ at: '2025-03-02T12:00:00Z', userId: 'U0ALICE', promptTokens: 1, completionTokens: 1 });
    expect(usage.tokensSince(TEAM, SINCE)).toBe(427);
    expect(usage.tokensSince(TEAM, SINCE, 'U0ALICE')).toBe(122);
    expect(usage.tokensSince(TEAM, SINCE, 'U0BOB')).toBe(305);
  });

  it('is 0 with no questions, for an unknown person, and for another workspace', () => {
    const { usage, ask } = setUp();
    expect(usage.tokensSince(TEAM, SINCE)).toBe(0);
    ask({ at: '2025-03-02T10:00:00Z', promptTokens: 10, completionTokens: 10 });
    expect(usage.tokensSince(TEAM, SINCE, 'U0NOBODY')).toBe(0);
    expect(usage.tokensSince(OTHER_TEAM, SINCE)).toBe(0);
  });

  it('counts from `since` inclusive, to the millisecond', () => {
    const { usage, ask } = setUp();
    ask({ at: '2025-03-10T11:59:59.999Z', promptTokens: 1_000, completionTokens: 0 });
    ask({ at: '2025-03-10T12:00:00.000Z', promptTokens: 7, completionTokens: 0 });
    expect(usage.tokensSince(TEAM, new Date('2025-03-10T12:00:00.000Z'))).toBe(7);
    expect(usage.tokensSince(TEAM, new Date('2025-03-10T12:00:00.001Z'))).toBe(0);
  });

  it('counts unanswered questions as no tokens', () => {
    const { usage, ask } = setUp();
    ask({ at: '2025-03-02T10:00:00Z' });
    ask({ at: '2025-03-02T11:00:00Z', promptTokens: 5, completionTokens: undefined });
    expect(usage.tokensSince(TEAM, SINCE)).toBe(5);
  });
});
