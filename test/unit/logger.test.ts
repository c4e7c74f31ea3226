/**
 * The logger redacts secrets from every line at every level: Bolt's Socket Mode client logs raw
 * payloads at debug, and a pasted API key travels in one.
 */
import { describe, expect, it } from 'vitest';
import type { LogLevelName } from '../../src/config.ts';
import { createLogger, redactSecrets, type Logger } from '../../src/logger.ts';

// ---- small factories -------------------------------------------------------

const LEVELS = ['debug', 'info', 'warn', 'error'] as const satisfies readonly LogLevelName[];

const SLACK_BOT_TOKEN = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp';
const SLACK_USER_TOKEN = 'xoxp-1234567890-0987654321-QrStUvWxYz';
const SLACK_APP_TOKEN = 'xapp-1-A0123456789-1234567890-abcdef0123';
const OPENAI_KEY = 'sk-proj-AbCdEf0123456789_ghIJ-kl';
/** A pasted key with no recognisable prefix: only registration can redact it. */
const PLAIN_KEY = 'gsk_9f8e7d6c5b4a39281706';

function capturingLogger(level: LogLevelName = 'debug', name?: string): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ level, sink: (line) => lines.push(line), ...(name ? { name } : {}) });
  return { logger, lines };
}

function logAt(logger: Logger, level: LogLevelName, ...messages: unknown[]): void {
  logger[level](...messages);
}

function only(lines: readonly string[]): string {
  expect(lines).toHaveLength(1);
  return lines[0] as string;
}

// ---- token and key shapes --------------------------------------------------

describe('logger redaction of known secret shapes', () => {
  it.each([
    ['a Slack bot token', SLACK_BOT_TOKEN],
    ['a Slack user token', SLACK_USER_TOKEN],
    ['a Slack app-level token', SLACK_APP_TOKEN],
    ['an OpenAI-style key', OPENAI_KEY],
  ])('redacts %s at every level, debug included', (_label, secret) => {
    for (const level of LEVELS) {
      const { logger, lines } = capturingLogger('debug');

      logAt(logger, level, `calling with ${secret} now`);

      const line = only(lines);
      expect(line).not.toContain(secret);
      expect(line).toContain('calling with [REDACTED] now');
    }
  });

  it('keeps the Bearer scheme but redacts the credential of an Authorization header', () => {
    const { logger, lines } = capturingLogger();

    logger.debug('headers: Authorization: Bearer abc.DEF-123_456~xyz');

    const line = only(lines);
    expect(line).toContain('Authorization: Bearer [REDACTED]');
    expect(line).not.toContain('abc.DEF-123_456~xyz');
  });

  it.each([
    ['a query parameter', 'GET /v1/models?api_key=abcdef123456789', 'api_key=[REDACTED]'],
    ['a header', 'x-api-key: abcdef123456789', 'api-key: [REDACTED]'],
    ['a JSON field', '{"apiKey":"abcdef123456789"}', '"apiKey":"[REDACTED]"'],
    ['an environment assignment', 'OPENAI_API_KEY=abcdef123456789', 'API_KEY=[REDACTED]'],
  ])('redacts an api key in %s, keeping the name', (_label, text, expected) => {
    const { logger, lines } = capturingLogger();

    logger.info(text);

    const line = only(lines);
    expect(line).toContain(expected);
    expect(line).not.toContain('abcdef123456789');
  });

  it('redacts secrets inside objects passed as arguments', () => {
    const { logger, lines } = capturingLogger();

    logger.debug('payload', {
      envelope_id: 'e-1',
      payload: { token: SLACK_BOT_TOKEN, view: { state: { values: { key: { input: { value: OPENAI_KEY } } } } } },
      headers: { authorization: 'Bearer abcdefgh12345678' },
    });

    const line = only(lines);
    expect(line).toContain('envelope_id');
    expect(line).not.toContain(SLACK_BOT_TOKEN);
    expect(line).not.toContain(OPENAI_KEY);
    expect(line).not.toContain('abcdefgh12345678');
  });

  it('redacts secrets in an error message, its stack and its cause', () => {
    const { logger, lines } = capturingLogger();
    const cause = Object.assign(new Error(`rejected key ${OPENAI_KEY}`), { config: { apiKey: PLAIN_KEY } });
    const error = new Error(`request with ${SLACK_APP_TOKEN} failed`, { cause });

    logger.error('slack call failed', error);

    const line = lines.join('\n');
    expect(line).toContain('slack call failed');
    expect(line).toContain('request with [REDACTED] failed');
    expect(line).not.toContain(SLACK_APP_TOKEN);
    expect(line).not.toContain(OPENAI_KEY);
    expect(line).not.toContain(PLAIN_KEY);
  });

  it('redacts secrets substituted into a format string', () => {
    const { logger, lines } = capturingLogger();

    logger.warn('token %s in %o', SLACK_BOT_TOKEN, { nested: [SLACK_USER_TOKEN] });

    const line = only(lines);
    expect(line).not.toContain(SLACK_BOT_TOKEN);
    expect(line).not.toContain(SLACK_USER_TOKEN);
  });

  it('leaves ordinary text alone', () => {
    const { logger, lines } = capturingLogger();
    const text = 'task-runner skipped 3 jobs; api is healthy; xoxb is a prefix; Bearer of bad news';

    logger.info(text);

    expect(only(lines)).toContain(text);
  });
});

// ---- registered secrets -----------------------------------------------------

describe('logger redaction of registered secrets', () => {
  it('redacts a registered secret with no known shape at every level', () => {
    const { logger, lines } = capturingLogger('debug');
    logger.addSecret(PLAIN_KEY);

    for (const level of LEVELS) logAt(logger, level, `key=${PLAIN_KEY};`, { pasted: PLAIN_KEY });

    expect(lines).toHaveLength(LEVELS.length);
    for (const line of lines) {
      expect(line).not.toContain(PLAIN_KEY);
      expect(line).toContain('[REDACTED]');
    }
  });

  it('redacts a registered secret inside an error passed as an argument', () => {
    const { logger, lines } = capturingLogger();
    logger.addSecret(PLAIN_KEY);

    logger.error(new Error(`provider said: invalid key ${PLAIN_KEY}`));

    expect(lines.join('\n')).not.toContain(PLAIN_KEY);
  });

  it('does not print an unregistered secret-free value as redacted', () => {
    const { logger, lines } = capturingLogger();

    logger.info(`value ${PLAIN_KEY}`);

    expect(only(lines)).toContain(PLAIN_KEY);
  });

  it('ignores secrets shorter than 8 characters, which would redact ordinary words', () => {
    const { logger, lines } = capturingLogger();
    logger.addSecret('the');
    logger.addSecret('1234567');
    logger.addSecret(undefined);
    logger.addSecret('');

    logger.info('the answer is 1234567');

    expect(only(lines)).toContain('the answer is 1234567');
  });

  it('registers a secret of exactly 8 characters', () => {
    const { logger, lines } = capturingLogger();
    logger.addSecret('p4ssw0rd');

    logger.info('password is p4ssw0rd');

    expect(only(lines)).toContain('password is [REDACTED]');
  });

  it('shares registered secrets between a logger and its children, both ways', () => {
    const { logger, lines } = capturingLogger();
    const child = logger.child('socket-mode');
    logger.addSecret('registered-on-parent');
    child.addSecret('registered-on-child');

    child.debug('registered-on-parent registered-on-child');
    logger.debug('registered-on-parent registered-on-child');

    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain('registered-on');
    }
  });
});

describe('redactSecrets', () => {
  it('redacts the given exact secrets and known shapes', () => {
    expect(redactSecrets(`a ${PLAIN_KEY} b ${SLACK_BOT_TOKEN} c`, [PLAIN_KEY])).toBe('a [REDACTED] b [REDACTED] c');
  });

  it('redacts every occurrence, not only the first', () => {
    expect(redactSecrets(`${PLAIN_KEY}/${PLAIN_KEY}`, [PLAIN_KEY])).toBe('[REDACTED]/[REDACTED]');
  });
});

// ---- levels and names ---------------------------------------------------------

describe('logger levels', () => {
  it.each([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
  ] as const)('at %s writes only that level and above', (level, written) => {
    const { logger, lines } = capturingLogger(level);

    for (const each of LEVELS) logAt(logger, each, `message at ${each}`);

    expect(lines.map((line) => /message at (\w+)/.exec(line)?.[1])).toEqual(written);
  });

  it('labels each line with its level and the logger name', () => {
    const { logger, lines } = capturingLogger('debug', 'pulse');

    logger.warn('careful');

    expect(only(lines)).toMatch(/^\d{4}-\d{2}-\d{2}T\S+Z WARN {2}\[pulse\] careful$/);
  });

  it('changes level at run time and reports it', () => {
    const { logger, lines } = capturingLogger('info');

    logger.debug('hidden');
    logger.setLevel('debug');
    logger.debug('shown');

    expect(logger.getLevel()).toBe('debug');
    expect(lines).toHaveLength(1);
    expect(only(lines)).toContain('shown');
  });

  it('shares the level between a logger and its children', () => {
    const { logger, lines } = capturingLogger('info');
    const child = logger.child('bolt');

    child.debug('hidden before');
    logger.setLevel('debug');
    child.debug('shown after');
    child.setLevel('error');
    logger.warn('hidden by the child');

    expect(child.getLevel()).toBe('error');
    expect(logger.getLevel()).toBe('error');
    expect(lines).toHaveLength(1);
    expect(only(lines)).toContain('[bolt] shown after');
  });

  it('writes a child logger lines under its own name to the same sink', () => {
    const { logger, lines } = capturingLogger('debug', 'pulse');

    logger.child('bolt').info('from child');
    logger.info('from parent');

    expect(lines[0]).toContain('[bolt] from child');
    expect(lines[1]).toContain('[pulse] from parent');
  });

  it('renames a logger with setName without renaming its parent', () => {
    const { logger, lines } = capturingLogger('debug', 'pulse');
    const child = logger.child('a');

    child.setName('socket-mode:SocketModeClient:0');
    child.info('renamed');
    logger.info('parent');

    expect(lines[0]).toContain('[socket-mode:SocketModeClient:0] renamed');
    expect(lines[1]).toContain('[pulse] parent');
  });
});

describe('the App Home key input inside logged Slack payloads', () => {
  it('is redacted whatever the key looks like, in JSON and in util.inspect form, at debug', () => {
    const { logger, lines } = capturingLogger('debug');
    const payload = {
      type: 'view_submission',
      view: { state: { values: { api_key: { api_key_input: { type: 'plain_text_input', value: PLAIN_KEY } } } } },
    };
    logger.debug('raw envelope', JSON.stringify(payload));
    logger.debug('parsed body', payload);
    expect(lines.join('\n')).not.toContain(PLAIN_KEY);
    expect(lines.join('\n')).toContain('[REDACTED]');
  });
});
