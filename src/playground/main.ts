/**
 * `npm run playground`: try Pulse in a browser without a Slack workspace.
 *   npm run playground -- [--port 3092] [--db ./data/playground.db] [--seed 7] [--quiet]
 * Starts the emulator with its web page and a seeded workspace, starts Pulse
 * against it, and prints the address to open.
 */
import { parseArgs } from 'node:util';
import { startPlayground } from './start-playground.ts';

const DEFAULT_PORT = 3092;

const USAGE = `Usage: npm run playground -- [options]
  --port <n>     port on 127.0.0.1 (default ${DEFAULT_PORT}; 0 picks a free one)
  --db <path>    keep Pulse's database here (default: a fresh one, removed at exit)
  --seed <n>     another made-up workspace (default: the same one every run)
  --quiet        do not show Pulse's log lines
  --help         this text
Pulse's LLM is configured as usual (OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL in the
environment or .env); without a key, open Pulse's Home tab in the page and paste one.`;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      db: { type: 'string' },
      seed: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--port must be a port number, not "${values.port}"`);
  const seed = values.seed === undefined ? undefined : Number(values.seed);
  if (seed !== undefined && !Number.isSafeInteger(seed)) throw new Error(`--seed must be a whole number, not "${values.seed}"`);
  return { help: values.help, port, databasePath: values.db, seed, quiet: values.quiet };
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (options.help) {
    console.log(USAGE);
    return;
  }
  console.log('Starting the Slack emulator and Pulse…');
  const playground = await startPlayground({
    port: options.port,
    env: process.env,
    ...(options.databasePath ? { databasePath: options.databasePath } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.quiet ? {} : { onPulseOutput: (line: string) => console.log(`pulse │ ${line}`) }),
  });
  const { seeded } = playground;
  console.log(
    [
      '',
      `Pulse playground: ${playground.url}`,
      '',
      `You are ${seeded.admin.realName}, the workspace admin; the switcher at the top acts as ${seeded.member.realName}, a member.`,
      `${seeded.people.length} people, ${seeded.messages} messages in ${seeded.channels.map((channel) => `#${channel.name}`).join(', ')}.`,
      process.env.OPENAI_API_KEY
        ? `Pulse answers with OPENAI_API_KEY from the environment${process.env.OPENAI_BASE_URL ? ` at ${process.env.OPENAI_BASE_URL}` : ''}.`
        : 'No OPENAI_API_KEY in the environment (a .env here is read too): without one, open Pulse → Home in the page and paste a key.',
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    await playground.stop();
    console.log(`Playground stopped (${why}).`);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  void playground.pulseExited.then((code) => {
    if (stopping) return;
    console.error(`Pulse exited (code ${code}); stopping the playground.`);
    void playground.stop().then(() => process.exit(1));
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
