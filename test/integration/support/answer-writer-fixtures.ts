/** Small factories for driving answer writers against the Slack emulator with a real WebClient. */
import { setTimeout as sleep } from 'node:timers/promises';
import { WebClient } from '@slack/web-api';
import type { AnswerTarget, AnswerWriter } from '../../../src/conversation/ports.ts';
import type { SlackEmulator } from '../../../src/emulator/driver.ts';
import type { EmulatedMessage } from '../../../src/emulator/types.ts';
import { createLogger, type Logger } from '../../../src/logger.ts';

/** A real WebClient that notes when each call leaves, so throttling is measured without network jitter. */
export class TimedWebClient extends WebClient {
  readonly sent: { method: string; at: number }[] = [];

  override async apiCall(method: string, options?: Record<string, unknown>) {
    this.sent.push({ method, at: performance.now() });
    return super.apiCall(method, options);
  }

  /** Milliseconds between consecutive calls to any of `methods`, in order. */
  gapsBetween(...methods: string[]): number[] {
    const times = this.sent.filter((call) => methods.includes(call.method)).map((call) => call.at);
    return times.slice(1).map((at, index) => at - (times[index] as number));
  }
}

export interface WriterScene {
  client: TimedWebClient;
  logger: Logger;
  logs: string[];
  target: AnswerTarget;
  /** Pulse's messages in the question's thread, oldest first. */
  answers(): EmulatedMessage[];
  /** Their texts: what a Slack user reads. */
  answerTexts(): string[];
}

/** Someone asks a question (a DM unless a channel is given); the scene answers in its thread. */
export function askQuestion(emulator: SlackEmulator, options: { channel?: string } = {}): WriterScene {
  const { alice } = emulator.seed;
  const question = options.channel
    ? emulator.mention(alice.id, options.channel, 'How are we doing?')
    : emulator.dm(alice.id, 'How are we doing?');
  const logs: string[] = [];
  return {
    client: new TimedWebClient(emulator.botToken, { slackApiUrl: emulator.apiUrl, retryConfig: { retries: 0 } }),
    logger: createLogger({ level: 'debug', sink: (line) => logs.push(line) }),
    logs,
    target: {
      teamId: emulator.workspace.team.id,
      channelId: question.channel,
      threadTs: question.ts,
      recipientUserId: alice.id,
    },
    answers: () => emulator.botReplies(question),
    answerTexts: () => emulator.botReplies(question).map((message) => message.text),
  };
}

/** Feeds the cumulative text in `steps` growing prefixes spread over `overMs`, as a streaming model does. */
export async function feedProgress(writer: AnswerWriter, text: string, options: { steps: number; overMs: number }): Promise<void> {
  for (let step = 1; step <= options.steps; step += 1) {
    writer.progress(text.slice(0, Math.ceil((text.length * step) / options.steps)));
    if (step < options.steps) await sleep(options.overMs / options.steps);
  }
}

/** A Markdown answer of `count` paragraphs of about 300 characters, with bold to convert. */
export function longAnswer(count: number): string {
  return Array.from(
    { length: count },
    (_unused, index) =>
      `**Point ${index + 1}.** Deploys rose in week ${index + 1} while incidents held steady; ` +
      'the platform team shipped the queue migration, the checkout service halved its p95 latency, ' +
      'and on-call pages fell for the third week running, mostly thanks to the alert clean-up in the billing stack.',
  ).join('\n\n');
}

export function secondsSince(startMs: number): number {
  return (performance.now() - startMs) / 1000;
}
