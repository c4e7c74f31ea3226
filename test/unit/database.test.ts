import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../src/db/open-database.ts';
import { createQuestionStore, messageDedupeKey, type NewQuestion } from '../../src/db/question-store.ts';

const opened: OpenedDatabase[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const database of opened.splice(0)) database.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openTemp(): { database: OpenedDatabase; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-db-'));
  dirs.push(dir);
  const path = join(dir, 'nested', 'deeper', 'pulse.db');
  const database = openDatabase(path);
  opened.push(database);
  return { database, path };
}

function aQuestion(overrides: Partial<NewQuestion> = {}): NewQuestion {
  const channelId = overrides.channelId ?? 'D1';
  const messageTs = overrides.messageTs ?? '1700000000.000100';
  const threadTs = overrides.threadTs ?? messageTs;
  return {
    teamId: 'T1',
    dedupeKey: messageDedupeKey(channelId, messageTs),
    source: 'dm',
    userId: 'U1',
    channelId,
    messageTs,
    threadTs,
    replyChannelId: channelId,
    replyThreadTs: threadTs,
    ...overrides,
  };
}

describe('openDatabase', () => {
  it('creates the directory, turns on WAL and applies the migrations', () => {
    const { database } = openTemp();
    expect(database.db.get<{ journal_mode: string }>(sql`PRAGMA journal_mode`)).toEqual({ journal_mode: 'wal' });
    const tables = database.db
      .all<{ name: string }>(sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'`)
      .map((row) => row.name)
      .sort();
    expect(tables).toEqual([
      'analytics_channel_days',
      'analytics_channels',
      'analytics_dirty_days',
      'analytics_dirty_threads',
      'analytics_links',
      'analytics_messages',
      'analytics_people',
      'analytics_person_days',
      'analytics_threads',
      'join_notices',
      'questions',
      'report_proposals',
      'report_runs',
      'reports',
      'welcomed_users',
      'workspace_secrets',
      'workspace_settings',
      'workspaces',
    ]);
  });

  it('gives every table a team_id column, so several workspaces fit the same schema', () => {
    const { database } = openTemp();
    const tables = database.db.all<{ name: string }>(
      sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'`,
    );
    for (const { name } of tables) {
      const columns = database.db.all<{ name: string }>(sql.raw(`PRAGMA table_info(${name})`)).map((column) => column.name);
      expect(columns, `table ${name}`).toContain('team_id');
    }
  });

  it('opens an existing database again without re-running migrations or losing rows', () => {
    const { database, path } = openTemp();
    createQuestionStore(database.db).recordIfNew(aQuestion());
    database.close();
    const again = openDatabase(path);
    opened.push(again);
    expect(createQuestionStore(again.db).listUnfinished('T1')).toHaveLength(1);
  });
});

describe('the question store', () => {
  it('records a question once: the same message arriving again is reported as a redelivery', () => {
    const store = createQuestionStore(openTemp().database.db);
    const first = store.recordIfNew(aQuestion({ eventId: 'Ev1' }));
    const again = store.recordIfNew(aQuestion({ eventId: 'Ev2' }));
    expect(first?.status).toBe('received');
    expect(again).toBeUndefined();
  });

  it('treats a message that arrives as both a mention and a channel message as one question', () => {
    const store = createQuestionStore(openTemp().database.db);
    expect(store.recordIfNew(aQuestion({ channelId: 'C1', source: 'mention' }))).toBeDefined();
    expect(store.recordIfNew(aQuestion({ channelId: 'C1', source: 'thread_follow_up' }))).toBeUndefined();
  });

  it('keeps questions from different workspaces, channels or shortcut submissions apart', () => {
    const store = createQuestionStore(openTemp().database.db);
    expect(store.recordIfNew(aQuestion())).toBeDefined();
    expect(store.recordIfNew(aQuestion({ teamId: 'T2' }))).toBeDefined();
    expect(store.recordIfNew(aQuestion({ channelId: 'D2' }))).toBeDefined();
    expect(store.recordIfNew(aQuestion({ source: 'shortcut_dm', dedupeKey: 'view:V1' }))).toBeDefined();
    expect(store.recordIfNew(aQuestion({ source: 'shortcut_dm', dedupeKey: 'view:V2' }))).toBeDefined();
  });

  it('forgets a shortcut instruction once the question is finished', () => {
    const store = createQuestionStore(openTemp().database.db);
    const question = store.recordIfNew(aQuestion({ source: 'shortcut', dedupeKey: 'view:V9', instruction: 'Summarise it' }));
    if (!question) throw new Error('setup failed');
    expect(store.get(question.id)?.instruction).toBe('Summarise it');
    store.finish(question.id, { status: 'answered', answerTs: '3.000001' });
    expect(store.get(question.id)?.instruction).toBeNull();
  });

  it('lists received and interrupted questions as unfinished, and not finished ones', () => {
    const store = createQuestionStore(openTemp().database.db);
    const received = store.recordIfNew(aQuestion({ messageTs: '1.000001' }));
    const answering = store.recordIfNew(aQuestion({ messageTs: '1.000002' }));
    const answered = store.recordIfNew(aQuestion({ messageTs: '1.000003' }));
    const failed = store.recordIfNew(aQuestion({ messageTs: '1.000004' }));
    if (!received || !answering || !answered || !failed) throw new Error('setup failed');
    store.markAnswering(answering.id);
    store.markAnswering(answered.id);
    store.finish(answered.id, { status: 'answered', answerTs: '2.000001', promptTokens: 10, completionTokens: 5 });
    store.finish(failed.id, { status: 'failed', errorCode: 'llm_key_missing', errorRef: 'abcd1234' });

    expect(store.listUnfinished('T1').map((question) => question.messageTs).sort()).toEqual(['1.000001', '1.000002']);
    expect(store.get(answering.id)?.attempts).toBe(1);
    expect(store.get(answering.id)?.startedAt?.getTime()).toBeGreaterThan(0);
    expect(store.get(answered.id)?.finishedAt?.getTime()).toBeGreaterThan(0);
    expect(store.get(answered.id)).toMatchObject({ status: 'answered', answerTs: '2.000001', promptTokens: 10 });
    expect(store.get(failed.id)).toMatchObject({ status: 'failed', errorCode: 'llm_key_missing', errorRef: 'abcd1234' });
  });

  it('knows whether Pulse was asked in a thread, so replies there are follow-ups', () => {
    const store = createQuestionStore(openTemp().database.db);
    const question = store.recordIfNew(aQuestion({ channelId: 'C1', messageTs: '5.000002', threadTs: '5.000001', source: 'mention' }));
    if (!question) throw new Error('setup failed');
    expect(store.hasAnsweredInThread('T1', 'C1', '5.000001')).toBe(true);
    store.finish(question.id, { status: 'answered', answerTs: '5.000003' });
    expect(store.hasAnsweredInThread('T1', 'C1', '5.000001')).toBe(true);
    expect(store.hasAnsweredInThread('T1', 'C2', '5.000001')).toBe(false);
    expect(store.hasAnsweredInThread('T1', 'C1', '9.000001')).toBe(false);
  });
});
