/**
 * Starts the real Pulse (Bolt app, database, agent) against the Slack
 * emulator and the fake LLM on loopback, and tears everything down.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type Config } from '../../src/config.ts';
import { startSlackEmulator, type SlackEmulator } from '../../src/emulator/driver.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { startPulse, type RunningPulse } from '../../src/start-pulse.ts';
import { startFakeLlm, type FakeLlm, type FakeLlmOptions } from './fake-llm.ts';

export const TEST_OPENAI_KEY = 'sk-test-pulse-0123456789abcdef';

/** The bot events manifest.json subscribes to: the emulator delivers only those. */
export function manifestBotEvents(): string[] {
  const manifest = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8')) as {
    settings: { event_subscriptions: { bot_events: string[] } };
  };
  return manifest.settings.event_subscriptions.bot_events;
}

export interface Harness {
  emulator: SlackEmulator;
  llm: FakeLlm;
  pulse: RunningPulse;
  config: Config;
  logs: string[];
  logger: Logger;
  dataDir: string;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string | undefined>;
  llm?: FakeLlmOptions;
  emulator?: Parameters<typeof startSlackEmulator>[0];
  /** Reuse an emulator/LLM/data dir (restart scenarios). */
  reuse?: Partial<Pick<Harness, 'emulator' | 'llm' | 'dataDir'>>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const emulator =
    options.reuse?.emulator ??
    (await startSlackEmulator({ subscribedEvents: manifestBotEvents(), ...options.emulator }));
  const llm = options.reuse?.llm ?? (await startFakeLlm(options.llm));
  const dataDir = options.reuse?.dataDir ?? mkdtempSync(join(tmpdir(), 'pulse-test-'));
  const parsed = parseConfig({
    SLACK_BOT_TOKEN: emulator.botToken,
    SLACK_APP_TOKEN: emulator.appToken,
    SLACK_API_URL: emulator.apiUrl,
    OPENAI_API_KEY: TEST_OPENAI_KEY,
    OPENAI_BASE_URL: llm.url,
    DATABASE_PATH: join(dataDir, 'pulse.db'),
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => logs.push(line) });
  const pulse = await startPulse(parsed.config, { logger });
  return {
    emulator,
    llm,
    pulse,
    config: parsed.config,
    logs,
    logger,
    dataDir,
    stop: async () => {
      await pulse.stop();
      if (!options.reuse?.emulator) await emulator.stop();
      if (!options.reuse?.llm) await llm.close();
      if (!options.reuse?.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** True when a message carries exactly these reactions (for waitFor). */
export function sameReactions(actual: Record<string, string[]>, expected: Record<string, string[]>): boolean {
  return JSON.stringify(Object.entries(actual).sort()) === JSON.stringify(Object.entries(expected).sort());
}
