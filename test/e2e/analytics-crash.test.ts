/**
 * kill -9 in the middle of an analytics backfill, then a restart: the startup
 * sync resumes from the saved cursors and pending threads, and ends with
 * exactly the messages a clean sync stores — no duplicates, nothing lost —
 * without reading everything again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open-database.ts';
import { startSlackEmulator } from '../../src/emulator/driver.ts';
import { seedAnalyticsWorld } from '../support/analytics-world.ts';
import { startFakeLlm } from '../support/fake-llm.ts';
import { manifestBotEvents, TEST_OPENAI_KEY } from '../support/pulse-harness.ts';
import { spawnPulse, type PulseProcess } from '../support/pulse-process.ts';

const DAY_MS = 86_400_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function track(pulse: PulseProcess): PulseProcess {
  cleanups.push(async () => {
    pulse.kill('SIGKILL');
    await pulse.exited;
  });
  return pulse;
}

describe('an analytics backfill killed with kill -9', () => {
  it('resumes after a restart and ends with the same rows as a clean sync, none twice', async () => {
    const emulator = await startSlackEmulator({ subscribedEvents: manifestBotEvents() });
    const llm = await startFakeLlm();
    const dir = mkdtempSync(join(tmpdir(), 'pulse-analytics-crash-'));
    cleanups.push(() => emulator.stop(), () => llm.close(), () => rmSync(dir, { recursive: true, force: true }));
    const world = seedAnalyticsWorld(emulator);
    const env = {
      SLACK_BOT_TOKEN: emulator.botToken,
      SLACK_APP_TOKEN: emulator.appToken,
      SLACK_API_URL: emulator.apiUrl,
      OPENAI_API_KEY: TEST_OPENAI_KEY,
      OPENAI_BASE_URL: llm.url,
      DATABASE_PATH: join(dir, 'pulse.db'),
      // The startup sync does the backfill; the schedule itself never comes round during the test.
      ANALYTICS_SYNC_CRON: '0 0 1 1 *',
      ANALYTICS_CALLS_PER_MINUTE: '3000',
    };
    // Without an auto-join pattern Pulse reads the channels it is a member of.
    const channels = (['general', 'eng-help', 'leads'] as const).map((name) => world.channels[name]);
    const threads = world.messages.filter(
      (message) => channels.includes(message.channel) && message.threadTs === undefined && world.messages.some((reply) => reply.threadTs === message.ts && reply.channel === message.channel),
    ).length;

    const first = track(spawnPulse(env, dir));
    await first.waitForOutput(/Pulse is connected to/);
    await emulator.waitFor(() => emulator.callsTo('conversations.replies').length >= 40, {
      what: 'the backfill to be well under way',
      timeoutMs: 30_000,
    });
    first.kill('SIGKILL');
    await first.exited;
    const repliesBefore = emulator.callsTo('conversations.replies').length;
    expect(repliesBefore).toBeLessThan(threads);

    const second = track(spawnPulse(env, dir));
    await second.waitForOutput(/analytics sync \(startup\) of \w+: 3 channels, \d+ messages, 0 joined, 0 failed/, 60_000);
    const repliesAfter = emulator.callsTo('conversations.replies').length - repliesBefore;
    // Threads read before the crash are not read again.
    expect(repliesAfter).toBeLessThan(threads);
    expect(repliesBefore + repliesAfter).toBeLessThan(threads + 10);

    const database = openDatabase(env.DATABASE_PATH);
    cleanups.push(() => database.close());
    const stored = database.db.$client
      .prepare('SELECT channel_id AS channel, ts FROM analytics_messages ORDER BY channel_id, ts')
      .all() as { channel: string; ts: string }[];
    const lookbackStart = world.nowMs - 90 * DAY_MS + 60_000;
    const expected = world.messages
      .filter((message) => channels.includes(message.channel) && Number(message.ts) * 1000 >= lookbackStart)
      .map((message) => ({ channel: message.channel, ts: message.ts }))
      .sort((a, b) => (a.channel === b.channel ? (a.ts < b.ts ? -1 : 1) : a.channel < b.channel ? -1 : 1));
    expect(stored.length).toBeGreaterThan(1_500);
    expect(stored).toEqual(expected);
  }, 120_000);
});
