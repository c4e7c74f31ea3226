/**
 * A standalone Slack emulator for manual runs:
 *   node --import tsx src/emulator/cli.ts [--port 3091] [--bot-token xoxb-…] [--app-token xapp-…] [--seed name] [--random]
 * It delivers the events manifest.json subscribes to, prints the .env lines
 * that point Pulse at it, and offers a console to act as people in the
 * workspace. Tokens and ids stay the same across runs unless --random.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { manifestBotEvents } from './app-manifest.ts';
import { startSlackEmulator } from './driver.ts';
import { HELP, listChannels, listUsers, runCommand, watchPulse } from './cli-repl.ts';

const DEFAULT_PORT = 3091;
/** Fixed so a pasted .env keeps working after a restart (they only open this local emulator). */
const STABLE_BOT_TOKEN = 'xoxb-emulator-0000000000-pulse-local-bot-token';
const STABLE_APP_TOKEN = 'xapp-1-A0EMULATOR-0000000000-pulse-local-app-token';
const STABLE_SEED = 'pulse-emulator';

const USAGE = `Usage: node --import tsx src/emulator/cli.ts [options]
  --port <n>          port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)
  --bot-token <xoxb>  bot token to accept (default: a fixed local token)
  --app-token <xapp>  app-level token to accept (default: a fixed local token)
  --seed <text>       seed for team/user/channel ids (default: "${STABLE_SEED}")
  --random            fresh random tokens and ids instead of the fixed ones
  --help              this text`;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'bot-token': { type: 'string' },
      'app-token': { type: 'string' },
      seed: { type: 'string' },
      random: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be a port number, not "${values.port}"`);
  const stable = !values.random;
  return {
    help: values.help,
    port,
    botToken: values['bot-token'] ?? (stable ? STABLE_BOT_TOKEN : undefined),
    appToken: values['app-token'] ?? (stable ? STABLE_APP_TOKEN : undefined),
    idSeed: values.seed ?? (stable ? STABLE_SEED : undefined),
  };
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const subscribedEvents = manifestBotEvents();
  const emulator = await startSlackEmulator({
    port: options.port,
    subscribedEvents,
    ...(options.botToken ? { botToken: options.botToken } : {}),
    ...(options.appToken ? { appToken: options.appToken } : {}),
    ...(options.idSeed ? { idSeed: options.idSeed } : {}),
  });
  const { team, bot } = emulator.workspace;
  console.log(
    [
      `Slack emulator listening on ${emulator.baseUrl}`,
      '',
      '# Point Pulse at it (.env):',
      `SLACK_API_URL=${emulator.apiUrl}`,
      `SLACK_BOT_TOKEN=${emulator.botToken}`,
      `SLACK_APP_TOKEN=${emulator.appToken}`,
      '',
      `Workspace ${team.name} (${team.id}), app ${team.appId}, bot @${bot.name} ${bot.id}`,
      'Users:',
      ...listUsers(emulator),
      'Channels:',
      ...listChannels(emulator),
      `Events delivered: ${subscribedEvents.join(', ') || '(none)'}`,
      '',
    ].join('\n'),
  );

  const console_ = process.stdin.isTTY ? createInterface({ input: process.stdin, output: process.stdout, prompt: 'slack> ' }) : undefined;
  const print = (line: string) => {
    if (!console_) {
      console.log(line);
      return;
    }
    process.stdout.write(`\r${line}\n`);
    console_.prompt(true);
  };
  watchPulse(emulator, print);
  emulator.socketMode.onConnection = (count) => print(`Socket Mode: app connected (${count} open)`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console_?.close();
    await emulator.stop();
    console.log(`\nSlack emulator stopped (${signal}).`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  if (console_) {
    console.log(`${HELP}\nCtrl-C stops the emulator.`);
    console_.on('line', (line) => {
      try {
        const output = runCommand(emulator, line);
        if (output) console.log(output);
      } catch (error) {
        console.log(`error: ${error instanceof Error ? error.message : String(error)}`);
      }
      console_.prompt();
    });
    // In a terminal, readline takes Ctrl-C itself instead of letting it raise SIGINT.
    console_.on('SIGINT', () => void stop('SIGINT'));
    console_.on('close', () => void stop('end of input'));
    console_.prompt();
  } else {
    console.log('Ctrl-C stops the emulator.');
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
