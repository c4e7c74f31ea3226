/**
 * The environment, parsed once at startup. This is the only module that reads
 * process.env (eslint enforces it); everything else receives a `Config`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { Cron } from 'croner';
import { z } from 'zod';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';
const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';
const DEFAULT_OPENAI_MODEL = 'gpt-4o-mini';
const DEFAULT_DATABASE_PATH = './data/pulse.db';
/** Three times a day, spread over the working day and the night. */
const DEFAULT_ANALYTICS_SYNC_CRON = '0 6,14,22 * * *';

export const ANSWER_DELIVERIES = ['stream', 'update', 'post'] as const;
export type AnswerDelivery = (typeof ANSWER_DELIVERIES)[number];

/** Where each value comes from, shown next to every problem so the fix is one step away. */
const WHERE_TO_GET: Record<string, string> = {
  SLACK_BOT_TOKEN:
    'the "Bot User OAuth Token" (starts with xoxb-) on your Slack app\'s "OAuth & Permissions" page, after installing the app to the workspace',
  SLACK_APP_TOKEN:
    'an app-level token with the connections:write scope (starts with xapp-), created under "App-Level Tokens" on your Slack app\'s "Basic Information" page',
  SLACK_API_URL:
    'leave unset for slack.com; https://slack-gov.com/api/ for GovSlack; the emulator prints its own URL',
  OPENAI_API_KEY: 'your LLM provider\'s API key; optional, since admins can paste one in Pulse\'s App Home',
  OPENAI_BASE_URL:
    'the base URL of any OpenAI-compatible server, e.g. https://api.openai.com/v1 or http://localhost:11434/v1 for Ollama',
  OPENAI_MODEL: 'a model name your provider serves, e.g. gpt-4o-mini',
  DATABASE_PATH: 'a file path for the SQLite database; its directory is created if missing',
  ENCRYPTION_KEY: '64 hex characters, e.g. from `openssl rand -hex 32`; leave unset to have Pulse generate a key file',
  LOG_LEVEL: `one of ${LOG_LEVELS.join(', ')}`,
  ADMIN_USER_IDS: 'a comma-separated list of Slack user ids (U…/W…), found under a profile\'s "⋮ → Copy member ID"',
  LLM_TIMEOUT_SECONDS: 'whole seconds one model call may take before Pulse gives up (default 120)',
  ANSWER_DELIVERY: `one of ${ANSWER_DELIVERIES.join(', ')} (default stream: Slack's streaming API, falling back to updates, then one post)`,
  MAX_CONCURRENT_ANSWERS: 'how many answers Pulse works on at once (default 8)',
  CONTEXT_TOKEN_BUDGET: 'the most tokens of conversation given to the model (default 16000)',
  QUESTION_MAX_AGE_MINUTES: 'how old an interrupted question may be and still be answered after a restart (default 30)',
  WORKSPACE_TIMEZONE: 'an IANA time zone such as Europe/Berlin or America/New_York (default UTC)',
  ANALYTICS_SYNC_CRON: `a 5-field cron expression in WORKSPACE_TIMEZONE for the analytics sync (default "${DEFAULT_ANALYTICS_SYNC_CRON}": three times a day), or "off" for no scheduled or startup sync`,
  ANALYTICS_CALLS_PER_MINUTE: 'how many conversations.history and conversations.replies calls the analytics sync makes per minute, each (default 50: Slack\'s Tier 3)',
};

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function positiveInteger(defaultValue: number, max: number) {
  return optionalText.pipe(
    z
      .string()
      .default(String(defaultValue))
      .pipe(
        z.coerce
          .number<string>({ error: 'must be a whole number' })
          .int('must be a whole number')
          .min(1, 'must be at least 1')
          .max(max, `must be at most ${max}`),
      ),
  );
}

function isCronExpression(value: string): boolean {
  try {
    new Cron(value, { paused: true }).stop();
    return value.trim().split(/\s+/).length === 5;
  } catch {
    return false;
  }
}

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

function httpUrl(defaultValue: string) {
  return optionalText.pipe(
    z
      .string()
      .default(defaultValue)
      .refine((value) => /^https?:\/\/[^\s/]+/i.test(value) && URL.canParse(value), 'must be an http(s) URL'),
  );
}

const environmentSchema = z.object({
  SLACK_BOT_TOKEN: optionalText.pipe(
    z.string({ error: 'is missing' }).startsWith('xoxb-', 'must be a bot token starting with xoxb-'),
  ),
  SLACK_APP_TOKEN: optionalText.pipe(
    z.string({ error: 'is missing' }).startsWith('xapp-', 'must be an app-level token starting with xapp-'),
  ),
  SLACK_API_URL: httpUrl(DEFAULT_SLACK_API_URL).transform((url) => (url.endsWith('/') ? url : `${url}/`)),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: httpUrl(DEFAULT_OPENAI_BASE_URL).transform((url) => url.replace(/\/+$/, '')),
  OPENAI_MODEL: optionalText.pipe(z.string().default(DEFAULT_OPENAI_MODEL)),
  DATABASE_PATH: optionalText.pipe(z.string().default(DEFAULT_DATABASE_PATH)),
  ENCRYPTION_KEY: optionalText.pipe(
    z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be exactly 64 hexadecimal characters (32 bytes)')
      .optional(),
  ),
  LOG_LEVEL: optionalText.pipe(
    z
      .string()
      .default('info')
      .transform((level) => level.toLowerCase())
      .pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })),
  ),
  LLM_TIMEOUT_SECONDS: positiveInteger(120, 3_600),
  ANSWER_DELIVERY: optionalText.pipe(
    z
      .string()
      .default('stream')
      .transform((value) => value.toLowerCase())
      .pipe(z.enum(ANSWER_DELIVERIES, { error: `must be one of ${ANSWER_DELIVERIES.join(', ')}` })),
  ),
  MAX_CONCURRENT_ANSWERS: positiveInteger(8, 256),
  CONTEXT_TOKEN_BUDGET: positiveInteger(16_000, 2_000_000),
  QUESTION_MAX_AGE_MINUTES: positiveInteger(30, 7 * 24 * 60),
  WORKSPACE_TIMEZONE: optionalText.pipe(z.string().default('UTC').refine(isTimeZone, 'is not a known time zone')),
  ANALYTICS_SYNC_CRON: optionalText.pipe(
    z
      .string()
      .default(DEFAULT_ANALYTICS_SYNC_CRON)
      .refine((value) => value.toLowerCase() === 'off' || isCronExpression(value), 'is not a 5-field cron expression (or "off")')
      .transform((value) => (value.toLowerCase() === 'off' ? undefined : value)),
  ),
  ANALYTICS_CALLS_PER_MINUTE: positiveInteger(50, 10_000),
  ADMIN_USER_IDS: optionalText.transform((value, context) => {
    const ids = (value ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
    const invalid = ids.filter((id) => !/^[UW][A-Z0-9]{2,}$/.test(id));
    if (invalid.length > 0) {
      context.addIssue({ code: 'custom', message: `has invalid user ids: ${invalid.join(', ')}` });
    }
    return ids;
  }),
});

/** Every environment variable Pulse reads (documented in .env.example and the README). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(environmentSchema.shape);

export interface Config {
  slack: { botToken: string; appToken: string; apiUrl: string };
  llm: { apiKey: string | undefined; baseUrl: string; model: string; timeoutMs: number };
  answers: {
    delivery: AnswerDelivery;
    maxConcurrent: number;
    contextTokenBudget: number;
    maxQuestionAgeMs: number;
  };
  workspaceTimeZone: string;
  /** syncCron undefined: no scheduled or startup sync ("off"); App Home's "Sync now" and live events still work. */
  analytics: { syncCron: string | undefined; callsPerMinute: number };
  databasePath: string;
  encryptionKeyHex: string | undefined;
  logLevel: LogLevelName;
  adminUserIds: readonly string[];
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Parses an environment map; pure, so tests pass their own. */
export function parseConfig(environment: Record<string, string | undefined>): ConfigResult {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const hint = WHERE_TO_GET[name];
      return `${name} ${issue.message}${hint ? ` — ${hint}` : ''}`;
    });
    return { ok: false, problems };
  }
  const env = parsed.data;
  return {
    ok: true,
    config: {
      slack: { botToken: env.SLACK_BOT_TOKEN, appToken: env.SLACK_APP_TOKEN, apiUrl: env.SLACK_API_URL },
      llm: {
        apiKey: env.OPENAI_API_KEY,
        baseUrl: env.OPENAI_BASE_URL,
        model: env.OPENAI_MODEL,
        timeoutMs: env.LLM_TIMEOUT_SECONDS * 1000,
      },
      answers: {
        delivery: env.ANSWER_DELIVERY,
        maxConcurrent: env.MAX_CONCURRENT_ANSWERS,
        contextTokenBudget: env.CONTEXT_TOKEN_BUDGET,
        maxQuestionAgeMs: env.QUESTION_MAX_AGE_MINUTES * 60_000,
      },
      workspaceTimeZone: env.WORKSPACE_TIMEZONE,
      analytics: { syncCron: env.ANALYTICS_SYNC_CRON, callsPerMinute: env.ANALYTICS_CALLS_PER_MINUTE },
      databasePath: env.DATABASE_PATH,
      encryptionKeyHex: env.ENCRYPTION_KEY?.toLowerCase(),
      logLevel: env.LOG_LEVEL,
      adminUserIds: env.ADMIN_USER_IDS,
    },
  };
}

/** Formats a failed parse as the single message printed before exiting. */
export function formatConfigProblems(problems: readonly string[]): string {
  return [
    `Pulse cannot start: ${problems.length} setting${problems.length === 1 ? '' : 's'} to fix (environment or .env):`,
    ...problems.map((problem) => `  - ${problem}`),
    'See .env.example and the "Configuration" section of README.md.',
  ].join('\n');
}

/** DATABASE_PATH alone, for commands that touch only the database (npm run purge): no Slack tokens needed. */
export function loadDatabasePath(dotenvPath = '.env'): string {
  const fromFile = existsSync(dotenvPath) ? parseDotenv(readFileSync(dotenvPath)) : {};
  const value = (process.env.DATABASE_PATH ?? fromFile.DATABASE_PATH ?? '').trim();
  return value === '' ? DEFAULT_DATABASE_PATH : value;
}

/**
 * Reads process.env over the optional `.env` file in the working directory
 * (real environment variables win, as with dotenv).
 */
export function loadConfig(dotenvPath = '.env'): ConfigResult {
  const fromFile = existsSync(dotenvPath) ? parseDotenv(readFileSync(dotenvPath)) : {};
  return parseConfig({ ...fromFile, ...process.env });
}
