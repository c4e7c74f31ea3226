import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../src/emulator/driver.ts';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm.ts';
import { manifestBotEvents, sameReactions, TEST_OPENAI_KEY } from '../support/pulse-harness.ts';
import { spawnPulse, type PulseProcess } from '../support/pulse-process.ts';

/** A hang guard only; the real figure (well under 2 s) is reported by the benchmark. */
const EXIT_GUARD_MS = 10_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-process-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function track(pulse: PulseProcess): PulseProcess {
  cleanups.push(async () => {
    pulse.kill('SIGKILL');
    await pulse.exited;
  });
  return pulse;
}

describe('npm start', () => {
  it('with no settings exits non-zero at once, listing every missing setting and where to get it', async () => {
    const pulse = track(spawnPulse({}, tempDir()));
    const result = await Promise.race([
      pulse.exited,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('Pulse did not exit')), EXIT_GUARD_MS)),
    ]);
    expect(result.code).not.toBe(0);
    const output = pulse.output();
    expect(output).toContain('Pulse cannot start: 2 settings to fix');
    expect(output).toMatch(/SLACK_BOT_TOKEN is missing — .*xoxb-.*OAuth & Permissions/);
    expect(output).toMatch(/SLACK_APP_TOKEN is missing — .*connections:write.*Basic Information/);
    expect(output).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('reports every invalid value together, without echoing secrets', async () => {
    const pulse = track(
      spawnPulse(
        {
          SLACK_BOT_TOKEN: 'xoxp-user-token-not-a-bot-token',
          SLACK_APP_TOKEN: 'xapp-1-ok',
          SLACK_API_URL: 'not a url',
          ENCRYPTION_KEY: 'abc',
          LOG_LEVEL: 'loud',
        },
        tempDir(),
      ),
    );
    const result = await pulse.exited;
    expect(result.code).not.toBe(0);
    const output = pulse.output();
    expect(output).toContain('4 settings to fix');
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_API_URL', 'ENCRYPTION_KEY', 'LOG_LEVEL']) expect(output).toContain(name);
    expect(output).not.toContain('xoxp-user-token-not-a-bot-token');
  });

  it('reads settings from .env in the working directory', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), 'SLACK_BOT_TOKEN=xoxb-from-dotenv\n');
    const pulse = track(spawnPulse({}, dir));
    await pulse.exited;
    expect(pulse.output()).toContain('1 setting to fix');
    expect(pulse.output()).not.toMatch(/SLACK_BOT_TOKEN is missing/);
  });

  it('stops with a plain sentence naming the token Slack rejected', async () => {
    const emulator = await startSlackEmulator();
    cleanups.push(() => emulator.stop());
    const dir = tempDir();
    const base = { SLACK_API_URL: emulator.apiUrl, DATABASE_PATH: join(dir, 'pulse.db') };

    const wrongBot = track(spawnPulse({ ...base, SLACK_BOT_TOKEN: 'xoxb-not-the-right-one', SLACK_APP_TOKEN: emulator.appToken }, dir));
    expect((await wrongBot.exited).code).toBe(1);
    expect(wrongBot.output()).toMatch(/Pulse could not start: Slack rejected SLACK_BOT_TOKEN \(invalid_auth\)\. Copy the "Bot User OAuth Token"/);

    const wrongApp = track(spawnPulse({ ...base, SLACK_BOT_TOKEN: emulator.botToken, SLACK_APP_TOKEN: 'xapp-1-not-the-right-one' }, dir));
    expect((await wrongApp.exited).code).toBe(1);
    expect(wrongApp.output()).toMatch(/Pulse could not start: Slack rejected SLACK_APP_TOKEN \(invalid_auth\)\. .*connections:write/);

    for (const output of [wrongBot.output(), wrongApp.output()]) {
      expect(output).not.toMatch(/\n\s+at /);
      expect(output).not.toContain('not-the-right-one');
    }
  });

  describe('pointed at the Slack emulator and the fake LLM', () => {
    let emulator: SlackEmulator;
    let llm: FakeLlm;

    it('answers a DM: 👀, the answer in the thread, ✅ — and never logs a secret, even at debug', async () => {
      emulator = await startSlackEmulator({ subscribedEvents: manifestBotEvents() });
      llm = await startFakeLlm({ validApiKeys: [TEST_OPENAI_KEY] });
      cleanups.push(() => emulator.stop(), () => llm.close());
      const dir = tempDir();
      const pulse = track(
        spawnPulse(
          {
            SLACK_BOT_TOKEN: emulator.botToken,
            SLACK_APP_TOKEN: emulator.appToken,
            SLACK_API_URL: emulator.apiUrl,
            OPENAI_API_KEY: TEST_OPENAI_KEY,
            OPENAI_BASE_URL: llm.url,
            DATABASE_PATH: join(dir, 'data', 'pulse.db'),
            LOG_LEVEL: 'debug',
          },
          dir,
        ),
      );
      await pulse.waitForOutput(/Pulse is connected to/);
      llm.script({ reply: 'Here is the answer.' });

      const question = emulator.dm(emulator.seed.alice.id, 'What changed?');

      await emulator.waitFor(
        () => sameReactions(emulator.reactions(question), { white_check_mark: [emulator.botUserId] }),
        { what: '✅ alone on the question', timeoutMs: 15_000 },
      );
      expect(emulator.botReplies(question).map((message) => message.text)).toEqual(['Here is the answer.']);
      expect(emulator.callsTo('apps.connections.open')).toHaveLength(1);

      // The database and the generated key file were created, the key file private.
      expect(statSync(join(dir, 'data', 'pulse.db')).isFile()).toBe(true);
      expect(statSync(join(dir, 'data', 'pulse.key')).mode & 0o777).toBe(0o600);

      pulse.kill('SIGTERM');
      const result = await pulse.exited;
      expect(result.code).toBe(0);
      const output = pulse.output();
      expect(output).toContain('envelope'); // debug logging of raw Socket Mode payloads was on
      for (const secret of [emulator.botToken, emulator.appToken, TEST_OPENAI_KEY]) expect(output).not.toContain(secret);
    });

    it('after kill -9 mid-answer, the restarted process answers the question exactly once', async () => {
      emulator = await startSlackEmulator({ subscribedEvents: manifestBotEvents() });
      llm = await startFakeLlm();
      cleanups.push(() => emulator.stop(), () => llm.close());
      const dir = tempDir();
      const env = {
        SLACK_BOT_TOKEN: emulator.botToken,
        SLACK_APP_TOKEN: emulator.appToken,
        SLACK_API_URL: emulator.apiUrl,
        OPENAI_API_KEY: TEST_OPENAI_KEY,
        OPENAI_BASE_URL: llm.url,
        DATABASE_PATH: join(dir, 'pulse.db'),
      };
      llm.script({ reply: 'This answer dies with the process.', delayMs: 5_000 }, { reply: 'Answered after the restart.' });
      const first = track(spawnPulse(env, dir));
      await first.waitForOutput(/Pulse is connected to/);

      const question = emulator.dm(emulator.seed.bob.id, 'Will this survive a crash?');
      await emulator.waitFor(() => emulator.reactions(question).eyes, { what: '👀 from the first process' });
      await llm.waitForRequests(1);
      first.kill('SIGKILL');
      await first.exited;

      const second = track(spawnPulse(env, dir));
      await second.waitForOutput(/resuming 1 unfinished question/);
      await emulator.waitFor(
        () => sameReactions(emulator.reactions(question), { white_check_mark: [emulator.botUserId] }),
        { what: '✅ alone on the question', timeoutMs: 15_000 },
      );
      expect(emulator.botReplies(question).map((message) => message.text)).toEqual(['Answered after the restart.']);
    });
  });
});
