/**
 * The floor: the least a Bolt app can do to answer a DM with the same Slack
 * calls as Pulse, and nothing else — no database, no job queue, no context
 * building, no Markdown conversion, no LangChain. Whatever Pulse spends
 * beyond this app is Pulse's own overhead. Like Pulse, it answers the
 * questions of one thread in order (one at a time) and shows the LLM the
 * thread only up to the question being answered.
 */
import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';

export interface FloorAppOptions {
  botToken: string;
  appToken: string;
  apiUrl: string;
  /** OpenAI-compatible base URL ending in /v1. */
  llmUrl: string;
  llmApiKey: string;
  model: string;
  /** Answers worked on at once; the same cap Pulse runs with, so throughput compares like for like. */
  maxConcurrent: number;
}

export interface RunningFloorApp {
  stop(): Promise<void>;
}

/** Same as Pulse: the last 20 messages are the context. */
const CONTEXT_LIMIT = 20;

interface DirectMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
}

interface SlackMessage {
  ts?: string;
  text?: string;
  bot_id?: string;
}

/** Slack timestamps are "seconds.micros"; compared as numbers, part by part. */
function compareTs(a: string | undefined, b: string): number {
  const [aSeconds = '0', aMicros = '0'] = (a ?? '0').split('.');
  const [bSeconds = '0', bMicros = '0'] = b.split('.');
  return Number(aSeconds) - Number(bSeconds) || Number(aMicros) - Number(bMicros);
}

/** A semaphore handing each freed slot straight to the next waiter, so the cap is never exceeded. */
function createLimiter(max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async function limit<T>(task: () => Promise<T>): Promise<T> {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else active += 1;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}

async function askLlm(options: FloorAppOptions, context: SlackMessage[]): Promise<string> {
  const response = await fetch(`${options.llmUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${options.llmApiKey}` },
    body: JSON.stringify({
      model: options.model,
      messages: [
        { role: 'system', content: 'You answer questions in Slack.' },
        ...context.map((message) => ({ role: message.bot_id ? 'assistant' : 'user', content: message.text ?? '' })),
      ],
    }),
  });
  if (!response.ok) throw new Error(`LLM answered HTTP ${response.status}`);
  const completion = (await response.json()) as { choices?: { message?: { content?: string } }[] };
  return completion.choices?.[0]?.message?.content ?? '';
}

async function answer(client: WebClient, options: FloorAppOptions, message: DirectMessage): Promise<void> {
  const { channel, ts } = message;
  await client.reactions.add({ channel, timestamp: ts, name: 'eyes' });
  // Pulse reads a DM thread with conversations.replies and the top level with history; so does the floor.
  const page = message.thread_ts
    ? await client.conversations.replies({ channel, ts: message.thread_ts, limit: CONTEXT_LIMIT })
    : await client.conversations.history({ channel, latest: ts, inclusive: true, limit: CONTEXT_LIMIT });
  const messages = (page.messages ?? []) as SlackMessage[];
  // Replies come oldest first and may run past the question (later follow-ups); history is newest first.
  const context = message.thread_ts ? messages.filter((reply) => compareTs(reply.ts, ts) <= 0) : [...messages].reverse();
  const text = await askLlm(options, context);
  await client.chat.postMessage({ channel, thread_ts: message.thread_ts ?? ts, text });
  await client.reactions.add({ channel, timestamp: ts, name: 'white_check_mark' });
  await client.reactions.remove({ channel, timestamp: ts, name: 'eyes' });
}

export async function startFloorApp(options: FloorAppOptions): Promise<RunningFloorApp> {
  // Our own receiver, so stop() can wait for the Socket Mode close handshake: Bolt's App.stop()
  // does not, and an unfinished handshake leaves a 30 s ping timer holding the process open.
  const receiver = new SocketModeReceiver({
    appToken: options.appToken,
    logLevel: LogLevel.ERROR,
    installerOptions: { clientOptions: { slackApiUrl: options.apiUrl } },
  });
  const app = new App({
    token: options.botToken,
    receiver,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: options.apiUrl },
  });
  const limit = createLimiter(options.maxConcurrent);
  /** Per thread, the last answer queued: the next one starts after it, then waits for a slot behind the others. */
  const threads = new Map<string, Promise<void>>();
  app.event('message', async ({ event, client }) => {
    const message = event as DirectMessage & { channel_type?: string; subtype?: string; bot_id?: string; user?: string };
    if (message.channel_type !== 'im' || message.subtype !== undefined || message.bot_id || !message.user) return;
    const key = `${message.channel}:${message.thread_ts ?? message.ts}`;
    const queued = (threads.get(key) ?? Promise.resolve())
      .then(() => limit(() => answer(client, options, message)))
      .catch((error: unknown) => {
        app.logger.error('floor answer failed:', error);
      })
      .finally(() => {
        if (threads.get(key) === queued) threads.delete(key);
      });
    // Not awaited: the listener returns at once, as Pulse's does after queueing.
    threads.set(key, queued);
  });
  await app.start();
  return { stop: () => receiver.client.disconnect() };
}
