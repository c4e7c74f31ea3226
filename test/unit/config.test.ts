/**
 * The environment is parsed once at startup; a bad one must stop Pulse with a single message
 * that lists every problem, says where to get each value, and never echoes a secret.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatConfigProblems, loadConfig, parseConfig, type Config } from '../../src/config.ts';

// ---- small factories -------------------------------------------------------

const BOT_TOKEN = 'xoxb-1111-2222-abcdefghijkl';
const APP_TOKEN = 'xapp-1-A111-2222-abcdefghijkl';

type Environment = Record<string, string | undefined>;

/** The smallest environment Pulse starts with, plus overrides. */
function validEnvironment(overrides: Environment = {}): Environment {
  return { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: APP_TOKEN, ...overrides };
}

function configFrom(environment: Environment): Config {
  const result = parseConfig(environment);
  if (!result.ok) throw new Error(`expected a valid config, got problems:\n${result.problems.join('\n')}`);
  return result.config;
}

function problemsFrom(environment: Environment): string[] {
  const result = parseConfig(environment);
  if (result.ok) throw new Error('expected configuration problems, got a valid config');
  return result.problems;
}

function problemFor(problems: readonly string[], name: string): string {
  const matching = problems.filter((problem) => problem.startsWith(`${name} `));
  expect(matching, `one problem about ${name} in:\n${problems.join('\n')}`).toHaveLength(1);
  return matching[0] as string;
}

// ---- required Slack tokens ---------------------------------------------------

describe('parseConfig: Slack tokens', () => {
  it('lists both Slack tokens as missing when the environment is empty', () => {
    const problems = problemsFrom({});

    expect(problems).toHaveLength(2);
    expect(problemFor(problems, 'SLACK_BOT_TOKEN')).toMatch(/missing/i);
    expect(problemFor(problems, 'SLACK_APP_TOKEN')).toMatch(/missing/i);
  });

  it('says the app token comes from Basic Information with the connections:write scope', () => {
    const problem = problemFor(problemsFrom({}), 'SLACK_APP_TOKEN');

    expect(problem).toContain('Basic Information');
    expect(problem).toContain('connections:write');
    expect(problem).toContain('xapp-');
  });

  it('says the bot token comes from OAuth & Permissions', () => {
    const problem = problemFor(problemsFrom({}), 'SLACK_BOT_TOKEN');

    expect(problem).toContain('OAuth & Permissions');
    expect(problem).toContain('xoxb-');
  });

  it('rejects a bot token that is not an xoxb- token', () => {
    const problems = problemsFrom(validEnvironment({ SLACK_BOT_TOKEN: 'xoxp-user-token-value' }));

    expect(problems).toHaveLength(1);
    expect(problemFor(problems, 'SLACK_BOT_TOKEN')).toMatch(/must be a bot token starting with xoxb-/);
  });

  it('rejects an app token that is not an xapp- token', () => {
    const problems = problemsFrom(validEnvironment({ SLACK_APP_TOKEN: BOT_TOKEN }));

    expect(problems).toHaveLength(1);
    expect(problemFor(problems, 'SLACK_APP_TOKEN')).toMatch(/must be an app-level token starting with xapp-/);
  });

  it('accepts well-formed tokens and trims surrounding whitespace', () => {
    const config = configFrom(validEnvironment({ SLACK_BOT_TOKEN: `  ${BOT_TOKEN}\n`, SLACK_APP_TOKEN: `\t${APP_TOKEN} ` }));

    expect(config.slack.botToken).toBe(BOT_TOKEN);
    expect(config.slack.appToken).toBe(APP_TOKEN);
  });

  it('treats whitespace-only tokens as unset', () => {
    const problems = problemsFrom({ SLACK_BOT_TOKEN: '   ', SLACK_APP_TOKEN: '\t\n' });

    expect(problemFor(problems, 'SLACK_BOT_TOKEN')).toMatch(/missing/i);
    expect(problemFor(problems, 'SLACK_APP_TOKEN')).toMatch(/missing/i);
  });
});

// ---- defaults ---------------------------------------------------------------

describe('parseConfig: defaults', () => {
  it('fills every optional setting with its documented default', () => {
    const config = configFrom(validEnvironment());

    expect(config).toEqual<Config>({
      slack: { botToken: BOT_TOKEN, appToken: APP_TOKEN, apiUrl: 'https://slack.com/api/' },
      llm: { apiKey: undefined, baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', timeoutMs: 120_000 },
      answers: { delivery: 'stream', maxConcurrent: 8, contextTokenBudget: 16_000, maxQuestionAgeMs: 30 * 60_000 },
      workspaceTimeZone: 'UTC',
      analytics: { syncCron: '0 6,14,22 * * *', callsPerMinute: 50 },
      databasePath: './data/pulse.db',
      encryptionKeyHex: undefined,
      logLevel: 'info',
      adminUserIds: [],
    });
  });

  it('treats whitespace-only optional settings as unset and applies their defaults', () => {
    const config = configFrom(
      validEnvironment({
        SLACK_API_URL: '  ',
        OPENAI_API_KEY: ' ',
        OPENAI_BASE_URL: '\t',
        OPENAI_MODEL: '',
        DATABASE_PATH: '   ',
        ENCRYPTION_KEY: ' ',
        LOG_LEVEL: '  ',
        ADMIN_USER_IDS: ' ',
      }),
    );

    expect(config.slack.apiUrl).toBe('https://slack.com/api/');
    expect(config.llm).toEqual({
      apiKey: undefined,
      baseUrl: 'https://api.openai.com/v1',
      model: 'gpt-4o-mini',
      timeoutMs: 120_000,
    });
    expect(config.databasePath).toBe('./data/pulse.db');
    expect(config.encryptionKeyHex).toBeUndefined();
    expect(config.logLevel).toBe('info');
    expect(config.adminUserIds).toEqual([]);
  });

  it('keeps the OpenAI settings it is given', () => {
    const config = configFrom(
      validEnvironment({ OPENAI_API_KEY: 'sk-test-123456789', OPENAI_MODEL: 'llama3.1:8b', DATABASE_PATH: '/var/lib/pulse/pulse.db' }),
    );

    expect(config.llm.apiKey).toBe('sk-test-123456789');
    expect(config.llm.model).toBe('llama3.1:8b');
    expect(config.databasePath).toBe('/var/lib/pulse/pulse.db');
  });
});

// ---- URLs -------------------------------------------------------------------

describe('parseConfig: URLs', () => {
  it('adds the trailing slash a custom Slack API URL needs', () => {
    expect(configFrom(validEnvironment({ SLACK_API_URL: 'http://127.0.0.1:4100/api' })).slack.apiUrl).toBe(
      'http://127.0.0.1:4100/api/',
    );
  });

  it('keeps a custom Slack API URL that already ends with a slash unchanged', () => {
    expect(configFrom(validEnvironment({ SLACK_API_URL: 'https://slack-gov.com/api/' })).slack.apiUrl).toBe(
      'https://slack-gov.com/api/',
    );
  });

  it('removes every trailing slash from the OpenAI base URL', () => {
    expect(configFrom(validEnvironment({ OPENAI_BASE_URL: 'http://localhost:11434/v1///' })).llm.baseUrl).toBe(
      'http://localhost:11434/v1',
    );
  });

  it.each([
    ['not a url', 'slack.com/api'],
    ['another scheme', 'ftp://slack.com/api/'],
    ['no host', 'https://'],
    ['spaces', 'https://slack .com/api'],
  ])('rejects a Slack API URL with %s', (_label, value) => {
    const problems = problemsFrom(validEnvironment({ SLACK_API_URL: value }));

    expect(problems).toHaveLength(1);
    expect(problemFor(problems, 'SLACK_API_URL')).toMatch(/must be an http\(s\) URL/);
  });

  it('rejects an OpenAI base URL that is not an http(s) URL and says what to use', () => {
    const problem = problemFor(problemsFrom(validEnvironment({ OPENAI_BASE_URL: 'localhost:11434' })), 'OPENAI_BASE_URL');

    expect(problem).toMatch(/must be an http\(s\) URL/);
    expect(problem).toContain('OpenAI-compatible');
  });
});

// ---- ENCRYPTION_KEY ---------------------------------------------------------

describe('parseConfig: ENCRYPTION_KEY', () => {
  it('accepts 64 hex characters and normalises them to lower case', () => {
    const upper = 'AB'.repeat(32);

    expect(configFrom(validEnvironment({ ENCRYPTION_KEY: upper })).encryptionKeyHex).toBe('ab'.repeat(32));
  });

  it.each([
    ['63 hex characters', 'a'.repeat(63)],
    ['65 hex characters', 'a'.repeat(65)],
    ['a non-hex character', `${'a'.repeat(63)}g`],
    ['a base64 key', 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80='],
  ])('rejects a key with %s', (_label, value) => {
    const problem = problemFor(problemsFrom(validEnvironment({ ENCRYPTION_KEY: value })), 'ENCRYPTION_KEY');

    expect(problem).toMatch(/64 hexadecimal characters/);
    expect(problem).toContain('openssl rand -hex 32');
  });
});

// ---- LOG_LEVEL ----------------------------------------------------------------

describe('parseConfig: LOG_LEVEL', () => {
  it.each(['debug', 'info', 'warn', 'error'] as const)('accepts %s', (level) => {
    expect(configFrom(validEnvironment({ LOG_LEVEL: level })).logLevel).toBe(level);
  });

  it('reads the level case-insensitively', () => {
    expect(configFrom(validEnvironment({ LOG_LEVEL: 'DEBUG' })).logLevel).toBe('debug');
    expect(configFrom(validEnvironment({ LOG_LEVEL: ' Warn ' })).logLevel).toBe('warn');
  });

  it('rejects an unknown level and lists the allowed ones', () => {
    const problem = problemFor(problemsFrom(validEnvironment({ LOG_LEVEL: 'verbose' })), 'LOG_LEVEL');

    expect(problem).toMatch(/debug, info, warn, error/);
  });
});

// ---- ADMIN_USER_IDS -----------------------------------------------------------

describe('parseConfig: ADMIN_USER_IDS', () => {
  it('splits a comma-separated list, ignoring spaces and empty entries', () => {
    const config = configFrom(validEnvironment({ ADMIN_USER_IDS: ' U012ABCDEF , ,W0HIJKLMN,, U999 ' }));

    expect(config.adminUserIds).toEqual(['U012ABCDEF', 'W0HIJKLMN', 'U999']);
  });

  it('names every invalid user id in one problem', () => {
    const problems = problemsFrom(validEnvironment({ ADMIN_USER_IDS: 'U012ABCDEF, bob, C0123456, u0lower' }));

    expect(problems).toHaveLength(1);
    const problem = problemFor(problems, 'ADMIN_USER_IDS');
    expect(problem).toMatch(/invalid user ids: bob, C0123456, u0lower/);
    expect(problem).not.toContain('U012ABCDEF');
    expect(problem).toContain('Copy member ID');
  });
});

// ---- several problems, and secrets --------------------------------------------

describe('parseConfig: reporting', () => {
  it('reports every problem at once rather than stopping at the first', () => {
    const problems = problemsFrom({
      SLACK_BOT_TOKEN: 'xoxp-not-a-bot-token',
      SLACK_API_URL: 'nope',
      ENCRYPTION_KEY: 'short',
      LOG_LEVEL: 'loud',
      ADMIN_USER_IDS: 'nobody',
    });

    expect(problems.map((problem) => problem.split(' ')[0]).sort()).toEqual([
      'ADMIN_USER_IDS',
      'ENCRYPTION_KEY',
      'LOG_LEVEL',
      'SLACK_API_URL',
      'SLACK_APP_TOKEN',
      'SLACK_BOT_TOKEN',
    ]);
  });

  it('never echoes a secret value in a problem', () => {
    const secrets = {
      SLACK_BOT_TOKEN: 'xoxp-secret-user-token-0123456789',
      SLACK_APP_TOKEN: 'xoxb-secret-wrong-kind-0123456789',
      ENCRYPTION_KEY: 'secret-encryption-key-that-is-not-hex',
      OPENAI_BASE_URL: 'https://user:secret-password@',
    };
    const message = formatConfigProblems(problemsFrom({ ...secrets, OPENAI_API_KEY: 'sk-secret-api-key-0123456789' }));

    for (const value of [...Object.values(secrets), 'sk-secret-api-key-0123456789']) {
      expect(message).not.toContain(value);
    }
    expect(message).not.toContain('secret');
  });
});

describe('formatConfigProblems', () => {
  it('formats every problem as one bullet of a single message with a pointer to the docs', () => {
    const message = formatConfigProblems(problemsFrom({ LOG_LEVEL: 'loud' }));
    const lines = message.split('\n');

    expect(lines[0]).toBe('Pulse cannot start: 3 settings to fix (environment or .env):');
    expect(lines.filter((line) => line.startsWith('  - '))).toHaveLength(3);
    expect(message).toMatch(/^ {2}- SLACK_BOT_TOKEN .*OAuth & Permissions/m);
    expect(message).toMatch(/^ {2}- SLACK_APP_TOKEN .*Basic Information/m);
    expect(message).toMatch(/^ {2}- LOG_LEVEL /m);
    expect(lines.at(-1)).toContain('.env.example');
  });

  it('uses the singular for a single problem', () => {
    expect(formatConfigProblems(['LOG_LEVEL must be one of debug, info, warn, error'])).toMatch(
      /^Pulse cannot start: 1 setting to fix /,
    );
  });
});

// ---- loadConfig ---------------------------------------------------------------

/** Every variable loadConfig reads; cleared before each test so the host environment cannot leak in. */
const CONFIG_VARIABLES = [
  'SLACK_BOT_TOKEN',
  'SLACK_APP_TOKEN',
  'SLACK_API_URL',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'OPENAI_MODEL',
  'DATABASE_PATH',
  'ENCRYPTION_KEY',
  'LOG_LEVEL',
  'ADMIN_USER_IDS',
] as const;

describe('loadConfig', () => {
  let savedEnvironment: Map<string, string | undefined>;
  let directory: string;

  beforeEach(() => {
    savedEnvironment = new Map(CONFIG_VARIABLES.map((name) => [name, process.env[name]]));
    for (const name of CONFIG_VARIABLES) delete process.env[name];
    directory = mkdtempSync(join(tmpdir(), 'pulse-config-'));
  });

  afterEach(() => {
    for (const [name, value] of savedEnvironment) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(directory, { recursive: true, force: true });
  });

  function writeDotenv(lines: string[]): string {
    const path = join(directory, '.env');
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  }

  it('reads settings from the .env file it is given', () => {
    const path = writeDotenv([
      `SLACK_BOT_TOKEN=${BOT_TOKEN}`,
      `SLACK_APP_TOKEN="${APP_TOKEN}"`,
      '# a comment',
      'OPENAI_MODEL=from-dotenv',
      'LOG_LEVEL=debug',
    ]);

    const result = loadConfig(path);

    expect(result).toMatchObject({
      ok: true,
      config: { slack: { botToken: BOT_TOKEN, appToken: APP_TOKEN }, llm: { model: 'from-dotenv' }, logLevel: 'debug' },
    });
  });

  it('lets real environment variables override the .env file', () => {
    const path = writeDotenv([`SLACK_BOT_TOKEN=${BOT_TOKEN}`, `SLACK_APP_TOKEN=${APP_TOKEN}`, 'OPENAI_MODEL=from-dotenv']);
    process.env.OPENAI_MODEL = 'from-environment';
    process.env.SLACK_BOT_TOKEN = 'xoxb-from-environment-123';

    const result = loadConfig(path);

    expect(result).toMatchObject({
      ok: true,
      config: { slack: { botToken: 'xoxb-from-environment-123', appToken: APP_TOKEN }, llm: { model: 'from-environment' } },
    });
  });

  it('works from the environment alone when the .env file does not exist', () => {
    process.env.SLACK_BOT_TOKEN = BOT_TOKEN;
    process.env.SLACK_APP_TOKEN = APP_TOKEN;

    const result = loadConfig(join(directory, 'missing.env'));

    expect(result).toMatchObject({ ok: true, config: { slack: { botToken: BOT_TOKEN, appToken: APP_TOKEN } } });
  });

  it('reports the problems of the merged settings', () => {
    const path = writeDotenv([`SLACK_APP_TOKEN=${APP_TOKEN}`, 'LOG_LEVEL=loud']);

    const result = loadConfig(path);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((problem) => problem.split(' ')[0]).sort()).toEqual(['LOG_LEVEL', 'SLACK_BOT_TOKEN']);
  });
});

// ---- answering settings -----------------------------------------------------

describe('parseConfig: answering settings', () => {
  it('reads the LLM timeout in seconds, the delivery mode, the concurrency cap, the budget and the resume age', () => {
    const config = configFrom(
      validEnvironment({
        LLM_TIMEOUT_SECONDS: '30',
        ANSWER_DELIVERY: 'Update',
        MAX_CONCURRENT_ANSWERS: '32',
        CONTEXT_TOKEN_BUDGET: '4000',
        QUESTION_MAX_AGE_MINUTES: '5',
      }),
    );
    expect(config.llm.timeoutMs).toBe(30_000);
    expect(config.answers).toEqual({ delivery: 'update', maxConcurrent: 32, contextTokenBudget: 4_000, maxQuestionAgeMs: 300_000 });
  });

  it('rejects numbers that are not positive whole numbers and an unknown delivery mode, all at once', () => {
    const result = parseConfig(
      validEnvironment({ LLM_TIMEOUT_SECONDS: 'soon', MAX_CONCURRENT_ANSWERS: '0', CONTEXT_TOKEN_BUDGET: '1.5', ANSWER_DELIVERY: 'carrier-pigeon' }),
    );
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : formatConfigProblems(result.problems);
    expect(message).toMatch(/LLM_TIMEOUT_SECONDS must be a whole number/);
    expect(message).toMatch(/MAX_CONCURRENT_ANSWERS must be at least 1/);
    expect(message).toMatch(/CONTEXT_TOKEN_BUDGET must be a whole number/);
    expect(message).toMatch(/ANSWER_DELIVERY must be one of stream, update, post/);
  });
});

describe('parseConfig: WORKSPACE_TIMEZONE', () => {
  it('accepts an IANA time zone and rejects an unknown one', () => {
    expect(configFrom(validEnvironment({ WORKSPACE_TIMEZONE: 'Europe/Berlin' })).workspaceTimeZone).toBe('Europe/Berlin');
    expect(problemsFrom(validEnvironment({ WORKSPACE_TIMEZONE: 'Mars/Olympus' })).join('\n')).toMatch(/WORKSPACE_TIMEZONE is not a known time zone/);
  });
});

describe('parseConfig: analytics sync', () => {
  it('accepts a 5-field cron expression and a call rate', () => {
    const config = configFrom({ ...validEnvironment(), ANALYTICS_SYNC_CRON: '*/30 9-17 * * 1-5', ANALYTICS_CALLS_PER_MINUTE: '20' });

    expect(config.analytics).toEqual({ syncCron: '*/30 9-17 * * 1-5', callsPerMinute: 20 });
  });

  it('turns scheduled and startup syncs off with "off"', () => {
    expect(configFrom({ ...validEnvironment(), ANALYTICS_SYNC_CRON: 'OFF' }).analytics.syncCron).toBeUndefined();
  });

  it('rejects a cron expression that is not one, naming the variable', () => {
    const problems = problemsFrom({ ...validEnvironment(), ANALYTICS_SYNC_CRON: 'three times a day' });

    expect(problemFor(problems, 'ANALYTICS_SYNC_CRON')).toMatch(/cron expression/);
  });

  it('rejects a 6-field (seconds) cron expression: the schedule is in minutes', () => {
    const problems = problemsFrom({ ...validEnvironment(), ANALYTICS_SYNC_CRON: '0 0 6 * * *' });

    expect(problemFor(problems, 'ANALYTICS_SYNC_CRON')).toMatch(/5-field/);
  });
});
