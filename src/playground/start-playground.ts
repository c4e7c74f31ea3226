/**
 * The playground: the emulator with its seeded workspace and web page, and
 * a Pulse process (src/main.ts, exactly as `npm start` runs it) pointed at
 * it through SLACK_API_URL. Pulse keeps its own configuration for the LLM
 * (OPENAI_* from the environment or .env); without a key, its App Home asks
 * an admin to paste one, as in Slack.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manifestBotEvents, manifestMessageShortcuts } from '../emulator/app-manifest.ts';
import { startSlackEmulator, type SlackEmulator } from '../emulator/driver.ts';
import { PlaygroundWeb } from './playground-web.ts';
import { seedPlayground, type SeededPlayground } from './seed-workspace.ts';

/** How long Pulse may take to start and open its Socket Mode connection. */
export const PULSE_START_TIMEOUT_MS = 60_000;
/** How long Pulse gets to stop on SIGTERM before it is killed. */
const PULSE_STOP_TIMEOUT_MS = 10_000;
/** The analytics sync's pace against the emulator (Pulse's default is Slack's Tier 3, 50 a minute). */
export const PLAYGROUND_SYNC_CALLS_PER_MINUTE = 3_000;
/** The last lines of Pulse's output kept for a failure report. */
const OUTPUT_LINES_KEPT = 200;

const PULSE_MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

export interface PlaygroundOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  /** Pulse's database; a fresh temporary one (removed at stop) when not given. */
  databasePath?: string;
  /** The environment Pulse starts with (PATH, OPENAI_*, LOG_LEVEL…); the playground sets Slack's and the database's. */
  env: Record<string, string | undefined>;
  /** The workspace's seed (the same seed, the same conversations). */
  seed?: number;
  /** Each line Pulse writes. */
  onPulseOutput?: (line: string) => void;
}

export interface Playground {
  url: string;
  emulator: SlackEmulator;
  seeded: SeededPlayground;
  /** Pulse's output so far (bounded). */
  pulseOutput(): string;
  /** Settles when Pulse exits on its own or is stopped. */
  pulseExited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const emulator = await startSlackEmulator({ port: options.port, subscribedEvents: manifestBotEvents(), teamName: 'Acme (playground)' });
  const seeded = seedPlayground(emulator, options.seed !== undefined ? { seed: options.seed } : {});
  const web = new PlaygroundWeb(emulator, {
    actorIds: [seeded.admin.id, seeded.member.id],
    shortcuts: manifestMessageShortcuts(),
  });
  const temporary = options.databasePath ? undefined : mkdtempSync(join(tmpdir(), 'pulse-playground-'));
  const databasePath = options.databasePath ?? join(temporary as string, 'pulse.db');

  const connected = new Promise<void>((resolve) => {
    emulator.socketMode.onConnection = (count) => {
      if (count > 0) resolve();
    };
  });
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), PULSE_MAIN], {
    env: {
      ...options.env,
      SLACK_API_URL: emulator.apiUrl,
      SLACK_BOT_TOKEN: emulator.botToken,
      SLACK_APP_TOKEN: emulator.appToken,
      DATABASE_PATH: databasePath,
      // The emulator has no Slack rate limits: the first sync need not pace itself to Slack's Tier 3.
      ANALYTICS_CALLS_PER_MINUTE: options.env.ANALYTICS_CALLS_PER_MINUTE ?? String(PLAYGROUND_SYNC_CALLS_PER_MINUTE),
      // A throwaway key for a throwaway database, so a pasted LLM key is stored encrypted as in production.
      ENCRYPTION_KEY: options.env.ENCRYPTION_KEY ?? randomBytes(32).toString('hex'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collectOutput(child, options.onPulseOutput);
  const pulseExited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), PULSE_STOP_TIMEOUT_MS);
      await pulseExited;
      clearTimeout(killer);
    }
    web.close();
    await emulator.stop();
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  };

  let timer: NodeJS.Timeout | undefined;
  const failed = await Promise.race([
    connected.then(() => undefined),
    pulseExited.then((code) => `Pulse exited (code ${code}) before it connected.`),
    new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`Pulse did not connect within ${PULSE_START_TIMEOUT_MS / 1_000} s.`), PULSE_START_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  if (failed) {
    await stop();
    throw new Error(`${failed}\nIts output:\n${output()}`);
  }
  return { url: web.url, emulator, seeded, pulseOutput: output, pulseExited, stop };
}

/** Keeps the last lines Pulse wrote and passes each on. */
function collectOutput(child: ChildProcess, onLine: ((line: string) => void) | undefined): () => string {
  const lines: string[] = [];
  let partial = '';
  const take = (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      if (lines.length > OUTPUT_LINES_KEPT) lines.shift();
      onLine?.(line);
    }
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  return () => [...lines, partial].join('\n');
}
