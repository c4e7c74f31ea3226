/**
 * The standalone emulator (src/emulator/cli.ts): prints the .env lines that
 * work with the real clients, keeps tokens and ids across runs, stops on
 * SIGINT; and its console acts as people in the workspace.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/emulator/cli-repl.ts';
import { botClient, silentLogger, startEmulator, stopEmulators } from './support/real-clients.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await stopEmulators();
});

interface RunningCli {
  child: ChildProcess;
  output: () => string;
  env: Record<string, string>;
  exited: Promise<number | null>;
}

async function startCli(args: string[]): Promise<RunningCli> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/emulator/cli.ts', '--port', '0', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 15_000;
  while (!output.includes('Ctrl-C stops')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the emulator CLI did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const env = Object.fromEntries([...output.matchAll(/^(SLACK_[A-Z_]+)=(.+)$/gm)].map((match) => [match[1], match[2]])) as Record<string, string>;
  return { child, output: () => output, env, exited };
}

describe('the standalone emulator', () => {
  it('prints .env lines the real clients work with, lists the seeded workspace, and stops cleanly on SIGINT', async () => {
    const cli = await startCli([]);
    const { SLACK_API_URL: apiUrl, SLACK_BOT_TOKEN: botToken, SLACK_APP_TOKEN: appToken } = cli.env;

    expect(botToken).toMatch(/^xoxb-/);
    expect(appToken).toMatch(/^xapp-/);
    const bot = new WebClient(botToken, { slackApiUrl: apiUrl, retryConfig: { retries: 0 }, logger: silentLogger });
    await expect(bot.auth.test()).resolves.toMatchObject({ ok: true, user: 'pulse' });
    const app = new WebClient(appToken, { slackApiUrl: apiUrl, retryConfig: { retries: 0 }, logger: silentLogger });
    await expect(app.apps.connections.open()).resolves.toMatchObject({ ok: true });
    expect(cli.output()).toMatch(/alice\s+U[A-Z0-9]+/);
    expect(cli.output()).toMatch(/#general\s+C[A-Z0-9]+\s+Pulse is a member/);
    expect(cli.output()).toContain('message.im');

    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toContain('Slack emulator stopped (SIGINT)');
  });

  it('keeps tokens and workspace ids across runs, and takes tokens from flags', async () => {
    const first = await startCli([]);
    const second = await startCli(['--bot-token', 'xoxb-my-own-token']);
    const ids = (output: string) => [...output.matchAll(/\b[TUCG][A-Z0-9]{10}\b/g)].map((match) => match[0]);

    expect(second.env.SLACK_APP_TOKEN).toBe(first.env.SLACK_APP_TOKEN);
    expect(second.env.SLACK_BOT_TOKEN).toBe('xoxb-my-own-token');
    expect(ids(second.output())).toEqual(ids(first.output()));
    expect(ids(first.output()).length).toBeGreaterThan(5);
    first.child.kill('SIGTERM');
    second.child.kill('SIGTERM');
    expect(await Promise.all([first.exited, second.exited])).toEqual([0, 0]);
  });
});

describe('the emulator console', () => {
  it('acts as people: a DM, a mention and a thread reply show up as Slack would hold them', async () => {
    const emulator = await startEmulator();
    runCommand(emulator, 'dm alice How did deploys do?');
    const mentioned = runCommand(emulator, 'mention bob #general what changed?');
    const rootTs = /sent (\S+)/.exec(mentioned)?.[1] as string;
    runCommand(emulator, `reply alice #general ${rootTs} me too`);

    expect(runCommand(emulator, 'show dm:alice')).toMatch(/alice: How did deploys do\?/);
    expect(runCommand(emulator, 'show #general')).toContain(`bob: <@${emulator.botUserId}> what changed? (1 replies)`);
    expect(runCommand(emulator, `show general ${rootTs}`).split('\n')).toHaveLength(2);
    const history = await botClient(emulator).conversations.history({ channel: emulator.seed.general.id });
    expect(history.messages?.map((message) => message.text)).toEqual([`<@${emulator.botUserId}> what changed?`]);
  });

  it('explains unknown users and commands instead of failing silently', async () => {
    const emulator = await startEmulator();
    expect(() => runCommand(emulator, 'dm nobody hi')).toThrow('no user "nobody"');
    expect(runCommand(emulator, 'dance')).toContain('unknown command "dance"');
  });
});
