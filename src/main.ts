/**
 * `npm start`: parse the configuration first (exit at once, listing every
 * problem, when it is incomplete), then load the rest of Pulse and run it.
 */
import { formatConfigProblems, loadConfig } from './config.ts';

const result = loadConfig();
if (!result.ok) {
  process.stderr.write(`${formatConfigProblems(result.problems)}\n`);
  process.exit(1);
}

// Loaded only after the configuration is known to be valid, so a bad setup fails fast.
const { startPulse } = await import('./start-pulse.ts');
const { createLogger } = await import('./logger.ts');
const { StartupError } = await import('./errors.ts');
const logger = createLogger({ level: result.config.logLevel });

try {
  const pulse = await startPulse(result.config, { logger });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received; finishing answers in progress and stopping.`);
    pulse.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('error while stopping:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
} catch (error) {
  if (error instanceof StartupError) {
    logger.error(`Pulse could not start: ${error.message}`);
    logger.debug('cause:', error.cause);
  } else {
    logger.error('Pulse could not start:', error);
  }
  process.exit(1);
}
