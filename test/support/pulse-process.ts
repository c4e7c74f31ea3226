/** Runs `src/main.ts` as its own process, exactly as `npm start` does (node --import tsx). */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX_LOADER = import.meta.resolve('tsx');

export interface PulseProcess {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; elapsedMs: number }>;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  kill(signal?: NodeJS.Signals): void;
}

/** `env` replaces the environment entirely (plus PATH/HOME), so a developer's settings cannot leak in. */
export function spawnPulse(env: Record<string, string>, cwd: string): PulseProcess {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; elapsedMs: number }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, elapsedMs: Date.now() - started }));
  });
  return {
    child,
    output: () => output,
    exited,
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
    },
    waitForOutput: (pattern, timeoutMs = 15_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(output)) {
            cleanup();
            resolve();
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`Timed out waiting for ${pattern} in Pulse's output:\n${output}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
  };
}

/** A hang guard for a killed process's exit: the kernel ends it at once, this only bounds the wait. */
const KILL_GUARD_MS = 10_000;

/** kill -9, then waits (bounded) until the process is gone. */
export async function killHard(pulse: PulseProcess): Promise<void> {
  pulse.kill('SIGKILL');
  await Promise.race([
    pulse.exited,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('Pulse survived SIGKILL')), KILL_GUARD_MS).unref()),
  ]);
}

/** The settings `npm start` needs to run against the Slack emulator and the fake LLM on loopback. */
export function emulatedPulseEnv(
  slack: { botToken: string; appToken: string; apiUrl: string },
  llm: { url: string; apiKey: string },
  databasePath: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_APP_TOKEN: slack.appToken,
    SLACK_API_URL: slack.apiUrl,
    OPENAI_API_KEY: llm.apiKey,
    OPENAI_BASE_URL: llm.url,
    DATABASE_PATH: databasePath,
    ...extra,
  };
}
