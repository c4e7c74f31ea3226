/**
 * Starts the system under test in the app process against the outside
 * world in the other process (URLs and tokens only): real Pulse
 * (startPulse, logging at warn into a counting sink so no formatting or I/O
 * lands in the timings) or the floor app. Each is imported lazily so a
 * floor run never loads Pulse's modules and peak RSS compares fairly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnswerDelivery } from '../src/config.ts';
import type { WorldInfo } from './protocol.ts';

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

export async function startSystem(
  name: SystemName,
  world: WorldInfo,
  settings: SystemSettings,
): Promise<RunningSystem> {
  if (name === 'floor') {
    const { startFloorApp } = await import('./floor-app.ts');
    const floor = await startFloorApp({
      botToken: world.botToken,
      appToken: world.appToken,
      apiUrl: world.apiUrl,
      llmUrl: world.llmUrl,
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
    SLACK_BOT_TOKEN: world.botToken,
    SLACK_APP_TOKEN: world.appToken,
    SLACK_API_URL: world.apiUrl,
    OPENAI_API_KEY: BENCH_OPENAI_KEY,
    OPENAI_BASE_URL: world.llmUrl,
    OPENAI_MODEL: BENCH_MODEL,
    DATABASE_PATH: join(dataDir, 'pulse.db'),
    // A fixed key: no key file is generated and no warning about it is logged.
    ENCRYPTION_KEY: '0'.repeat(64),
    LOG_LEVEL: 'warn',
    ANSWER_DELIVERY: settings.delivery,
    MAX_CONCURRENT_ANSWERS: String(settings.maxConcurrent),
    // No startup or scheduled analytics sync: its Slack calls would land in the first answer's count
    // (bench/analytics.ts measures the sync on its own).
    ANALYTICS_SYNC_CRON: 'off',
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
      // Pulse's stop() waits for its Socket Mode link to close; the orchestrator also checks, from the world's side.
      await pulse.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
