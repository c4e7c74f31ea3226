/**
 * Pulse's tables. Every table carries team_id so serving several workspaces
 * is a change of installation handling, not of the data model.
 * Change this file → `npm run db:generate` → commit drizzle/.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** One row per workspace Pulse serves, refreshed from auth.test at startup. */
export const workspaces = sqliteTable('workspaces', {
  teamId: text('team_id').primaryKey(),
  name: text('name'),
  domain: text('domain'),
  botUserId: text('bot_user_id').notNull(),
  botId: text('bot_id'),
  firstSeenAt: integer('first_seen_at', { mode: 'timestamp_ms' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

export const QUESTION_STATUSES = ['received', 'answering', 'answered', 'failed'] as const;
export type QuestionStatus = (typeof QUESTION_STATUSES)[number];

export const QUESTION_SOURCES = ['dm', 'mention', 'thread_follow_up', 'shortcut', 'shortcut_dm'] as const;
export type QuestionSource = (typeof QUESTION_SOURCES)[number];

/**
 * Every question, recorded durably the moment it arrives. The unique key on
 * (team, dedupe_key) makes a redelivered event a no-op: Slack may send the
 * same message twice (and as both app_mention and message.channels), Pulse
 * answers it once. A message's text is not stored; it is re-read from Slack
 * when answering. Only a shortcut's typed instruction is kept, until answered.
 */
export const questions = sqliteTable(
  'questions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: text('team_id').notNull(),
    /** `msg:<channel>:<ts>` for messages, `view:<view id>` for shortcut submissions. */
    dedupeKey: text('dedupe_key').notNull(),
    source: text('source', { enum: QUESTION_SOURCES }).notNull(),
    userId: text('user_id').notNull(),
    /** The message asked about (the question itself, or a shortcut's target). */
    channelId: text('channel_id').notNull(),
    messageTs: text('message_ts').notNull(),
    /** Root of that message's thread (`thread_ts ?? ts`): where the context comes from. */
    threadTs: text('thread_ts').notNull(),
    /** The asker's instruction from a shortcut's modal (empty: "answer about this message"). */
    instruction: text('instruction'),
    /** Where the answer goes. For "Ask Pulse in DM" the thread is created when answering. */
    replyChannelId: text('reply_channel_id').notNull(),
    replyThreadTs: text('reply_thread_ts'),
    /** The message that carries 👀/✅/❌; null until known (DM shortcut answers). */
    statusTs: text('status_ts'),
    eventId: text('event_id'),
    status: text('status', { enum: QUESTION_STATUSES }).notNull().default('received'),
    attempts: integer('attempts').notNull().default(0),
    errorCode: text('error_code'),
    errorRef: text('error_ref'),
    answerTs: text('answer_ts'),
    model: text('model'),
    promptTokens: integer('prompt_tokens'),
    completionTokens: integer('completion_tokens'),
    receivedAt: integer('received_at', { mode: 'timestamp_ms' }).notNull(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }),
    finishedAt: integer('finished_at', { mode: 'timestamp_ms' }),
  },
  (table) => [
    uniqueIndex('questions_dedupe_unique').on(table.teamId, table.dedupeKey),
    index('questions_status_idx').on(table.teamId, table.status),
    index('questions_reply_thread_idx').on(table.teamId, table.replyChannelId, table.replyThreadTs),
    // Usage and budgets read questions by day, for the workspace or one person.
    index('questions_usage_idx').on(table.teamId, table.receivedAt),
    index('questions_user_usage_idx').on(table.teamId, table.userId, table.receivedAt),
  ],
);

/** Key/value settings per workspace (model choice, feature switches). Secrets live elsewhere, encrypted. */
export const workspaceSettings = sqliteTable(
  'workspace_settings',
  {
    teamId: text('team_id').notNull(),
    key: text('key').notNull(),
    value: text('value').notNull(),
    updatedBy: text('updated_by'),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(unixepoch() * 1000)`),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.key] })],
);

/**
 * Secrets per workspace (the LLM API key), sealed with AES-256-GCM. Replacing
 * a secret overwrites its row, so the old ciphertext is gone. `last4` is what
 * App Home may show of it.
 */
export const workspaceSecrets = sqliteTable(
  'workspace_secrets',
  {
    teamId: text('team_id').notNull(),
    name: text('name').notNull(),
    ciphertext: text('ciphertext').notNull(),
    last4: text('last4').notNull(),
    setBy: text('set_by').notNull(),
    setAt: integer('set_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.name] })],
);

/** People Pulse has welcomed (once each, on their first DM or Messages tab visit). */
export const welcomedUsers = sqliteTable(
  'welcomed_users',
  {
    teamId: text('team_id').notNull(),
    userId: text('user_id').notNull(),
    welcomedAt: integer('welcomed_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.userId] })],
);
