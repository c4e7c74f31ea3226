/**
 * Pulse's tables. Every table carries team_id so serving several workspaces
 * is a change of installation handling, not of the data model.
 * Change this file → `npm run db:generate` → commit drizzle/.
 */
import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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

/*
 * Workspace analytics. Metadata only: message text is stored only when an
 * admin turns content storage on. People are Slack user ids, or their
 * pseudonyms when the workspace pseudonymizes. Times: `ts_ms` is the Slack
 * ts in milliseconds, `day` its UTC day number (days since 1970-01-01).
 */

/** Channels Pulse syncs (or saw and skipped), with the progress of their sync. */
export const analyticsChannels = sqliteTable(
  'analytics_channels',
  {
    teamId: text('team_id').notNull(),
    channelId: text('channel_id').notNull(),
    name: text('name').notNull(),
    isPrivate: integer('is_private', { mode: 'boolean' }).notNull(),
    isArchived: integer('is_archived', { mode: 'boolean' }).notNull().default(false),
    isMember: integer('is_member', { mode: 'boolean' }).notNull(),
    /** Set when Pulse joined on its own because the name matched the auto-join pattern. */
    autoJoinedAt: integer('auto_joined_at', { mode: 'timestamp_ms' }),
    /** Messages from coveredFromTs to coveredToTs are stored (history read completely over that range). */
    coveredFromTs: text('covered_from_ts'),
    coveredToTs: text('covered_to_ts'),
    /** A history pass in progress: its bounds and the cursor of the next page (resumes after a crash). */
    passOldestTs: text('pass_oldest_ts'),
    passLatestTs: text('pass_latest_ts'),
    passCursor: text('pass_cursor'),
    status: text('status', { enum: ['never', 'syncing', 'synced', 'failed'] }).notNull().default('never'),
    lastSyncStartedAt: integer('last_sync_started_at', { mode: 'timestamp_ms' }),
    lastSyncFinishedAt: integer('last_sync_finished_at', { mode: 'timestamp_ms' }),
    /** Messages and replies read by the last sync of this channel. */
    lastSyncMessages: integer('last_sync_messages'),
    /** A user-safe sentence, shown in App Home. */
    lastSyncError: text('last_sync_error'),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.channelId] })],
);

/** The additive signals summed per channel-day; a fresh set of builders per use. */
function additiveSignalColumns() {
  return {
    messages: integer('messages').notNull(),
    threadsStarted: integer('threads_started').notNull(),
    replies: integer('replies').notNull(),
    helpReplies: integer('help_replies').notNull(),
    reactionsGiven: integer('reactions_given').notNull(),
    reactionsReceived: integer('reactions_received').notNull(),
    mentionsGiven: integer('mentions_given').notNull(),
    mentionsReceived: integer('mentions_received').notNull(),
    links: integer('links').notNull(),
    botMessages: integer('bot_messages').notNull(),
  };
}

/** One row per message or reply Pulse read, metadata only. */
export const analyticsMessages = sqliteTable(
  'analytics_messages',
  {
    teamId: text('team_id').notNull(),
    channelId: text('channel_id').notNull(),
    ts: text('ts').notNull(),
    tsMs: integer('ts_ms').notNull(),
    day: integer('day').notNull(),
    threadTs: text('thread_ts'),
    authorId: text('author_id'),
    botId: text('bot_id'),
    subtype: text('subtype'),
    isBot: integer('is_bot', { mode: 'boolean' }).notNull(),
    /** Written by a person (see message-roles.ts): what person signals count. */
    isPerson: integer('is_person', { mode: 'boolean' }).notNull(),
    isReply: integer('is_reply', { mode: 'boolean' }).notNull(),
    /** A thread root: thread_ts = ts or replies > 0 (see message-roles.ts isThreadRoot). */
    isRoot: integer('is_root', { mode: 'boolean' }).notNull(),
    isQuestion: integer('is_question', { mode: 'boolean' }).notNull(),
    /** Derived after each write from the thread's root; see signals.ts helpReplies. */
    isHelpReply: integer('is_help_reply', { mode: 'boolean' }).notNull().default(false),
    charCount: integer('char_count').notNull(),
    replyCount: integer('reply_count').notNull(),
    /** JSON array of user ids or pseudonyms, as Slack lists them. */
    replyUsers: text('reply_users').notNull(),
    latestReply: text('latest_reply'),
    /** The latest_reply whose replies were all read; a thread needs reading while it differs. */
    repliesSyncedTs: text('replies_synced_ts'),
    /** Reactions received per the signal's definition (person messages; own reactions excluded). */
    reactionsReceived: integer('reactions_received').notNull(),
    /** Distinct people mentioned, oneself excluded (person messages). */
    mentionCount: integer('mention_count').notNull(),
    /** Distinct URLs (person messages). */
    linkCount: integer('link_count').notNull(),
    /** Bit i set when a link of LINK_KINDS[i] is in the message. */
    linkMask: integer('link_mask').notNull(),
    fileCount: integer('file_count').notNull(),
    edited: integer('edited', { mode: 'boolean' }).notNull(),
    /** Only when the workspace stores content. */
    text: text('text'),
    /**
     * Who reacted with what: a JSON array of [name, user id] pairs, null when none. In the row rather than a table of
     * their own: the day sums read them with the message, and a child table cost two more B-tree inserts per reaction.
     */
    reactions: text('reactions'),
    /** People mentioned (person messages, oneself excluded): a JSON array of user ids, null when none. */
    mentions: text('mentions'),
  },
  (table) => [
    primaryKey({ columns: [table.teamId, table.channelId, table.ts] }),
    // Only messages in threads (about half): every lookup by thread_ts names one.
    index('analytics_messages_thread_idx').on(table.teamId, table.channelId, table.threadTs).where(sql`thread_ts IS NOT NULL`),
    // Threads whose replies are unread or grew: what the sync's thread loop asks for, without scanning the channel.
    index('analytics_messages_pending_idx')
      .on(table.teamId, table.channelId, table.ts)
      .where(sql`latest_reply IS NOT NULL AND replies_synced_ts IS NOT latest_reply`),
  ],
);

/** Links in person messages, counted per kind. */
export const analyticsLinks = sqliteTable(
  'analytics_links',
  {
    teamId: text('team_id').notNull(),
    channelId: text('channel_id').notNull(),
    ts: text('ts').notNull(),
    kind: text('kind').notNull(),
    count: integer('count').notNull(),
    authorId: text('author_id').notNull(),
    day: integer('day').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.teamId, table.channelId, table.ts, table.kind] }),
    index('analytics_links_day_idx').on(table.teamId, table.day),
  ],
);

/** Threads whose root is a person's message: depth and response time, rebuilt when a thread changes. */
export const analyticsThreads = sqliteTable(
  'analytics_threads',
  {
    teamId: text('team_id').notNull(),
    channelId: text('channel_id').notNull(),
    threadTs: text('thread_ts').notNull(),
    rootAuthorId: text('root_author_id').notNull(),
    rootIsQuestion: integer('root_is_question', { mode: 'boolean' }).notNull(),
    tsMs: integer('ts_ms').notNull(),
    day: integer('day').notNull(),
    replies: integer('replies').notNull(),
    participants: integer('participants').notNull(),
    /** Root to the first person reply by someone else; null if none. */
    firstReplyMs: integer('first_reply_ms'),
    /** Link kinds in the root and its person replies (bits as analytics_messages.link_mask). */
    linkMask: integer('link_mask').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.teamId, table.channelId, table.threadTs] }),
    index('analytics_threads_time_idx').on(table.teamId, table.tsMs),
  ],
);

/**
 * The workspace's people as small integers, for the per-person sums packed
 * into analytics_channel_days and analytics_person_days (a key is never reused
 * while the workspace has analytics rows).
 */
export const analyticsPeople = sqliteTable(
  'analytics_people',
  {
    teamId: text('team_id').notNull(),
    personKey: integer('person_key').notNull(),
    /** A Slack user id, or its pseudonym when the workspace pseudonymizes. */
    personId: text('person_id').notNull(),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.personKey] }), uniqueIndex('analytics_people_person_idx').on(table.teamId, table.personId)],
);

/**
 * Threads and (channel, day)s whose derived rows must be rebuilt: written in
 * the same transaction as the messages, drained by the rebuild. Kept in
 * tables, not memory, so a crash between a backfill page and its rebuild
 * loses nothing.
 */
export const analyticsDirtyThreads = sqliteTable(
  'analytics_dirty_threads',
  {
    teamId: text('team_id').notNull(),
    channelId: text('channel_id').notNull(),
    threadTs: text('thread_ts').notNull(),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.channelId, table.threadTs] })],
);

export const analyticsDirtyDays = sqliteTable(
  'analytics_dirty_days',
  {
    teamId: text('team_id').notNull(),
    channelId: text('channel_id').notNull(),
    day: integer('day').notNull(),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.channelId, table.day] })],
);

/**
 * Additive signals per channel and UTC day, rebuilt for every (channel, day) a write touches: the sums over everyone
 * (what channel and time figures read; a year of 40 channels is 15,000 rows), and the same sums per person packed in
 * `people` (see src/db/people-sums.ts), what per-person figures over some channels read. One row per channel-day rather
 * than one per channel, person and day: a backfill writes one row where it wrote dozens.
 */
export const analyticsChannelDays = sqliteTable(
  'analytics_channel_days',
  {
    teamId: text('team_id').notNull(),
    channelId: text('channel_id').notNull(),
    day: integer('day').notNull(),
    ...additiveSignalColumns(),
    /** Per-person sums, keyed by analytics_people.person_key; null when no person is in the day. */
    people: blob('people', { mode: 'buffer' }),
  },
  // By day: the per-day row is re-added from a day's channel rows, and retention prunes by day.
  (table) => [primaryKey({ columns: [table.teamId, table.channelId, table.day] }), index('analytics_channel_days_day_idx').on(table.teamId, table.day)],
);

/** The per-person sums of a day's channel rows added up, packed the same way: per-person figures when every channel is in scope. */
export const analyticsPersonDays = sqliteTable(
  'analytics_person_days',
  {
    teamId: text('team_id').notNull(),
    day: integer('day').notNull(),
    people: blob('people', { mode: 'buffer' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.day] })],
);

/**
 * Scheduled reports (src/reports). `work` and `destination` are JSON of the
 * ReportWork and ReportDestination types; next_run_at is the slot the
 * scheduler claims next, moved forward in the same transaction that claims it.
 */
export const reports = sqliteTable(
  'reports',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id').notNull(),
    ownerId: text('owner_id').notNull(),
    name: text('name').notNull(),
    work: text('work').notNull(),
    destination: text('destination').notNull(),
    cron: text('cron').notNull(),
    timeZone: text('time_zone').notNull(),
    scheduleDescription: text('schedule_description').notNull(),
    status: text('status', { enum: ['active', 'paused'] }).notNull(),
    nextRunAt: integer('next_run_at'),
    lastFinishedAt: integer('last_finished_at'),
    lastOk: integer('last_ok', { mode: 'boolean' }),
    /** User-safe sentence: what went wrong and what to do. */
    lastError: text('last_error'),
    lastChannelId: text('last_channel_id'),
    lastMessageTs: text('last_message_ts'),
    /** The owner was told about the current run of failures (cleared by a success): one DM per streak. */
    failureNotified: integer('failure_notified', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (table) => [index('reports_team_idx').on(table.teamId), index('reports_due_idx').on(table.status, table.nextRunAt)],
);

/**
 * One row per run of a report. (report_id, slot) is unique for schedule
 * slots: the process whose insert lands owns that run, so two Pulse processes on one database never
 * deliver the same slot twice. A failed attempt waits in state 'retry' until
 * retry_at, and is claimed again by a conditional update.
 */
export const reportRuns = sqliteTable(
  'report_runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    teamId: text('team_id').notNull(),
    reportId: text('report_id').notNull(),
    /** Epoch ms: the schedule slot, or the moment a re-run was asked for. */
    slot: integer('slot').notNull(),
    trigger: text('trigger', { enum: ['schedule', 'catch_up', 'manual'] }).notNull(),
    state: text('state', { enum: ['running', 'retry', 'delivered', 'failed'] }).notNull(),
    attempt: integer('attempt').notNull(),
    claimedBy: text('claimed_by').notNull(),
    claimedAt: integer('claimed_at').notNull(),
    retryAt: integer('retry_at'),
    finishedAt: integer('finished_at'),
    error: text('error'),
    channelId: text('channel_id'),
    messageTs: text('message_ts'),
    /** Whose budget and usage the run's model tokens count against: the report's owner. */
    ownerId: text('owner_id').notNull(),
    promptTokens: integer('prompt_tokens'),
    completionTokens: integer('completion_tokens'),
  },
  (table) => [
    // Re-runs on request are not schedule slots: any number of them, at any time.
    uniqueIndex('report_runs_slot_idx').on(table.reportId, table.slot).where(sql`trigger <> 'manual'`),
    index('report_runs_state_idx').on(table.state, table.retryAt),
    index('report_runs_team_idx').on(table.teamId),
  ],
);

/** Reports the agent proposed in a conversation, created only when their asker clicks Confirm. */
export const reportProposals = sqliteTable(
  'report_proposals',
  {
    id: text('id').primaryKey(),
    teamId: text('team_id').notNull(),
    proposerId: text('proposer_id').notNull(),
    /** JSON: name, work, destination, schedule. */
    payload: text('payload').notNull(),
    state: text('state', { enum: ['pending', 'created', 'cancelled'] }).notNull(),
    reportId: text('report_id'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (table) => [index('report_proposals_team_idx').on(table.teamId)],
);

/**
 * Channels where Pulse posted its transparency notice (src/lifecycle/join-notices.ts).
 * The primary key is the guard: whichever path (an invitation's
 * member_joined_channel or the analytics auto-join) inserts first posts, so a
 * channel gets one notice, across restarts too.
 */
export const joinNotices = sqliteTable(
  'join_notices',
  {
    teamId: text('team_id').notNull(),
    channelId: text('channel_id').notNull(),
    /** How Pulse came to be in the channel. */
    reason: text('reason', { enum: ['invited', 'auto_joined'] }).notNull(),
    /** The notice's ts, once Slack accepted it. */
    messageTs: text('message_ts'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.channelId] })],
);
