/**
 * Starts the real Pulse (Bolt app, database, agent) against the Slack
 * emulator and the fake LLM on loopback, and tears everything down.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type Config } from '../../src/config.ts';
import { manifestBotEvents } from '../../src/emulator/app-manifest.ts';
import { startSlackEmulator, type SlackEmulator } from '../../src/emulator/driver.ts';
import type { Clock } from '../../src/reports/clock.ts';
import { createLogger, type Logger } from '../../src/logger.ts';
import { startPulse, type RunningPulse } from '../../src/start-pulse.ts';
import { startFakeLlm, type FakeLlm, type FakeLlmOptions } from './fake-llm.ts';

export const TEST_OPENAI_KEY = 'sk-test-pulse-0123456789abcdef';

/** The bot events manifest.json subscribes to: the emulator delivers only those. */
export { manifestBotEvents };

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
  /** The scheduled reports' clock (default: the system clock). */
  clock?: Clock;
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
    // Tests read answers as single posted messages; each delivery mode has its own tests in answer-delivery.test.ts.
    ANSWER_DELIVERY: 'post',
    // Conversation tests count Slack calls; analytics tests turn the startup and scheduled syncs back on.
    ANALYTICS_SYNC_CRON: 'off',
    ...options.env,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => logs.push(line) });
  const pulse = await startPulse(parsed.config, { logger, ...(options.clock ? { clock: options.clock } : {}) });
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

/** Waits until Pulse has finished with a message (✅ alone on it) and returns its replies in the thread. */
export async function waitForAnswer(harness: Harness, ref: { channel: string; ts: string }, options: { timeoutMs?: number } = {}) {
  const { emulator } = harness;
  await emulator.waitFor(() => sameReactions(emulator.reactions(ref), { white_check_mark: [emulator.botUserId] }), {
    what: `✅ alone on ${ref.channel}/${ref.ts}`,
    ...options,
  });
  return emulator.botReplies(ref);
}

/** Waits until Pulse has failed a message (❌ alone on it) and returns its replies in the thread. */
export async function waitForFailure(harness: Harness, ref: { channel: string; ts: string }) {
  const { emulator } = harness;
  await emulator.waitFor(() => sameReactions(emulator.reactions(ref), { x: [emulator.botUserId] }), {
    what: `❌ alone on ${ref.channel}/${ref.ts}`,
  });
  return emulator.botReplies(ref);
}

/** The chat messages Pulse sent to the model in its n-th request (0-based), without the system prompt. */
export function modelTurns(harness: Harness, index = 0): { role: string; content: unknown }[] {
  const request = harness.llm.requests[index];
  if (!request) throw new Error(`the model received no request #${index}`);
  return (request.body.messages as { role: string; content: unknown }[]).filter((message) => message.role !== 'system');
}

/** Lets in-flight events settle, then proves nothing happened: used for "ignored" cases. */
export async function settle(ms = 400): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}
