/**
 * Starts the system under test against the emulator and the fake LLM: real
 * Pulse (startPulse, logging at warn into a counting sink so no formatting
 * or I/O lands in the timings) or the floor app. Each is imported lazily so
 * a floor run never loads Pulse's modules and peak RSS compares fairly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AnswerDelivery } from '../src/config.ts';
import type { SlackEmulator } from '../src/emulator/driver.ts';
import type { FakeLlm } from '../test/support/fake-llm.ts';

export type SystemName = 'pulse' | 'floor';

export interface SystemSettings {
  delivery: AnswerDelivery;
  maxConcurrent: number;
}

export interface RunningSystem {
  /** Lines Pulse logged at warn or above (always 0 for the floor). */
  readonly warnings: number;
  stop(): Promise<void>;
}

const BENCH_OPENAI_KEY = 'sk-bench-pulse-0123456789abcdef';
const BENCH_MODEL = 'gpt-4o-mini';

/** Bound on waiting for Pulse's Socket Mode link to close after stop(). */
const CLOSE_WAIT_MS = 2_000;
const CLOSE_POLL_MS = 5;

/**
 * Bolt's App.stop() starts the Socket Mode close handshake without waiting for it; if the
 * emulator went away first, the client's 30 s ping timer would keep this process alive.
 */
async function waitForSocketModeClose(emulator: SlackEmulator): Promise<void> {
  const deadline = performance.now() + CLOSE_WAIT_MS;
  while (emulator.socketMode.openConnections > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, CLOSE_POLL_MS));
  }
}

export async function startSystem(
  name: SystemName,
  emulator: SlackEmulator,
  llm: FakeLlm,
  settings: SystemSettings,
): Promise<RunningSystem> {
  if (name === 'floor') {
    const { startFloorApp } = await import('./floor-app.ts');
    const floor = await startFloorApp({
      botToken: emulator.botToken,
      appToken: emulator.appToken,
      apiUrl: emulator.apiUrl,
      llmUrl: llm.url,
      llmApiKey: BENCH_OPENAI_KEY,
      model: BENCH_MODEL,
      maxConcurrent: settings.maxConcurrent,
    });
    return { warnings: 0, stop: () => floor.stop() };
  }
  const [{ parseConfig }, { createLogger }, { startPulse }] = await Promise.all([
    import('../src/config.ts'),
    import('../src/logger.ts'),
    import('../src/start-pulse.ts'),
  ]);
  const dataDir = mkdtempSync(join(tmpdir(), 'pulse-bench-'));
  const parsed = parseConfig({
    SLACK_BOT_TOKEN: emulator.botToken,
    SLACK_APP_TOKEN: emulator.appToken,
    SLACK_API_URL: emulator.apiUrl,
    OPENAI_API_KEY: BENCH_OPENAI_KEY,
    OPENAI_BASE_URL: llm.url,
    OPENAI_MODEL: BENCH_MODEL,
    DATABASE_PATH: join(dataDir, 'pulse.db'),
    // A fixed key: no key file is generated and no warning about it is logged.
    ENCRYPTION_KEY: '0'.repeat(64),
    LOG_LEVEL: 'warn',
    ANSWER_DELIVERY: settings.delivery,
    MAX_CONCURRENT_ANSWERS: String(settings.maxConcurrent),
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  let warnings = 0;
  const logger = createLogger({
    level: 'warn',
    sink: () => {
      warnings += 1;
    },
  });
  const pulse = await startPulse(parsed.config, { logger });
  return {
    get warnings() {
      return warnings;
    },
    stop: async () => {
      await pulse.stop();
      await waitForSocketModeClose(emulator);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
