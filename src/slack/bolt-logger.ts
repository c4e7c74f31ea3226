/** Hands Pulse's redacting logger to Bolt and the Slack SDK in the shape they expect. */
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { LogLevelName } from '../config.ts';
import type { Logger } from '../logger.ts';

const TO_NAME: Record<LogLevel, LogLevelName> = {
  [LogLevel.DEBUG]: 'debug',
  [LogLevel.INFO]: 'info',
  [LogLevel.WARN]: 'warn',
  [LogLevel.ERROR]: 'error',
};

export function toSlackLogLevel(level: LogLevelName): LogLevel {
  return { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR }[level];
}

export function createBoltLogger(logger: Logger): SlackLogger {
  let named = logger.child('slack');
  return {
    debug: (...messages) => named.debug(...messages),
    info: (...messages) => named.info(...messages),
    warn: (...messages) => named.warn(...messages),
    error: (...messages) => named.error(...messages),
    setLevel: (level) => logger.setLevel(TO_NAME[level]),
    getLevel: () => toSlackLogLevel(logger.getLevel()),
    setName: (name) => {
      named = logger.child(name);
    },
  };
}
