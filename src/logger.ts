/**
 * The process logger. It has the shape Bolt and the Slack SDK expect
 * (debug/info/warn/error/setLevel/getLevel/setName), and it redacts secrets
 * from every line at every level: Bolt's Socket Mode client logs raw
 * payloads at debug, and a pasted API key travels in one.
 */
import { formatWithOptions } from 'node:util';
import type { LogLevelName } from './config.ts';

const LEVEL_ORDER: Record<LogLevelName, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Token and key shapes redacted even when Pulse was never told the value. */
const SECRET_PATTERNS: readonly RegExp[] = [
  /\bxox[abposre]-[A-Za-z0-9-]{6,}/g, // Slack bot/user/refresh tokens
  /\bxapp-[A-Za-z0-9-]{6,}/g, // Slack app-level tokens
  /\bsk-[A-Za-z0-9_-]{8,}/g, // OpenAI-style API keys (sk-, sk-proj-, sk-ant-…)
  /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, // Authorization headers
  /(api[_-]?key["']?\s*[:=]\s*["']?)[^\s"',}]{8,}/gi, // api_key=…, OPENAI_API_KEY=…, "apiKey":"…"
  // The App Home key input inside a logged view_submission, as JSON or as util.inspect prints it.
  /(["']?api_key_input["']?\s*:\s*\{[^{}]*?["']?value["']?\s*:\s*["'])[^"']*/g,
];

const REDACTED = '[REDACTED]';
/** Exact secrets shorter than this are not registered: they would redact ordinary words. */
const MIN_SECRET_LENGTH = 8;

export interface Logger {
  debug(...messages: unknown[]): void;
  info(...messages: unknown[]): void;
  warn(...messages: unknown[]): void;
  error(...messages: unknown[]): void;
  setLevel(level: LogLevelName): void;
  getLevel(): LogLevelName;
  setName(name: string): void;
  /** Returns a logger with the same level, sink and secrets under another name. */
  child(name: string): Logger;
  /** Registers a value that must never be printed (configured tokens, pasted keys). */
  addSecret(secret: string | undefined): void;
}

export type LogSink = (line: string) => void;

export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= MIN_SECRET_LENGTH) result = result.split(secret).join(REDACTED);
  }
  for (const pattern of SECRET_PATTERNS) {
    result = result.replace(pattern, (_match, prefix: unknown) =>
      typeof prefix === 'string' ? `${prefix}${REDACTED}` : REDACTED,
    );
  }
  return result;
}

interface SharedState {
  level: LogLevelName;
  secrets: Set<string>;
  sink: LogSink;
}

function createLoggerWithState(state: SharedState, initialName: string): Logger {
  let name = initialName;
  const write = (level: LogLevelName, messages: unknown[]): void => {
    if (LEVEL_ORDER[level] < LEVEL_ORDER[state.level]) return;
    const body = formatWithOptions({ depth: 6, breakLength: Infinity }, ...messages);
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${name}] ${body}`;
    state.sink(redactSecrets(line, state.secrets));
  };
  return {
    debug: (...messages) => write('debug', messages),
    info: (...messages) => write('info', messages),
    warn: (...messages) => write('warn', messages),
    error: (...messages) => write('error', messages),
    setLevel: (level) => {
      state.level = level;
    },
    getLevel: () => state.level,
    setName: (newName) => {
      name = newName;
    },
    child: (childName) => createLoggerWithState(state, childName),
    addSecret: (secret) => {
      if (secret && secret.length >= MIN_SECRET_LENGTH) state.secrets.add(secret);
    },
  };
}

export function createLogger(options: { level: LogLevelName; name?: string; sink?: LogSink }): Logger {
  const sink = options.sink ?? ((line: string) => process.stderr.write(`${line}\n`));
  return createLoggerWithState({ level: options.level, secrets: new Set(), sink }, options.name ?? 'pulse');
}
