/**
 * Times questions from the emulator's own records, without polling: the
 * Socket Mode envelope's ack promise, reaction changes the workspace
 * announces synchronously as the Web API call lands, and the fake LLM's
 * request hook. Everything runs in this process, so one clock serves all.
 */
import { performance } from 'node:perf_hooks';
import type { SlackEmulator } from '../src/emulator/driver.ts';
import type { SentEnvelope } from '../src/emulator/socket-mode.ts';

export interface QuestionTrace {
  tag: string;
  channel: string;
  ts: string;
  sentAt: number;
  ackAt?: number;
  eyesAt?: number;
  llmAt?: number;
  checkAt?: number;
  failedAt?: number;
  /** 👀 removed: the last step of both the success and the failure path. */
  doneAt?: number;
  callsBefore: number;
  /** Web API methods called between sending the question and 👀 being removed (sequential runs only). */
  methods?: string[];
  /**
   * Of those, messages posted outside the question's thread: not part of the answer (Pulse's one-time
   * welcome to a person's first DM). Answers always go in the thread.
   */
  sidePosts?: number;
}

export interface AskedQuestion {
  trace: QuestionTrace;
  done: Promise<QuestionTrace>;
}

/** How far back in the envelope history to look for the one dm() just sent. */
const ENVELOPE_LOOKBACK = 20;
const TAG_PATTERN = /\[(q\d+)\]/;

const keyOf = (channel: string, ts: string) => `${channel}:${ts}`;

export class QuestionProbe {
  private readonly byMessage = new Map<string, QuestionTrace>();
  private readonly byTag = new Map<string, QuestionTrace>();
  private readonly finishers = new Map<string, () => void>();
  private counter = 0;

  constructor(private readonly emulator: SlackEmulator) {
    emulator.workspace.onChange((change) => {
      if (change.kind !== 'reaction_added' && change.kind !== 'reaction_removed') return;
      const key = keyOf(change.message.channel, change.message.ts);
      const trace = this.byMessage.get(key);
      if (!trace) return;
      const now = performance.now();
      if (change.kind === 'reaction_added') {
        if (change.reaction === 'eyes') trace.eyesAt ??= now;
        else if (change.reaction === 'white_check_mark') trace.checkAt ??= now;
        else if (change.reaction === 'x') trace.failedAt ??= now;
        return;
      }
      if (change.reaction !== 'eyes' || trace.doneAt !== undefined) return;
      trace.doneAt = now;
      const calls = this.emulator.calls.slice(trace.callsBefore);
      trace.methods = calls.map((call) => call.method);
      trace.sidePosts = calls.filter((call) => call.method === 'chat.postMessage' && call.params.thread_ts === undefined).length;
      this.finishers.get(key)?.();
      this.finishers.delete(key);
    });
  }

  /** Hook for the fake LLM: stamps the question whose tag ends the request's last message. */
  noteLlmRequest(body: unknown): void {
    const messages = (body as { messages?: { content?: unknown }[] } | undefined)?.messages;
    const last = messages?.at(-1)?.content;
    const text = typeof last === 'string' ? last : JSON.stringify(last ?? '');
    const tag = TAG_PATTERN.exec(text)?.[1];
    const trace = tag ? this.byTag.get(tag) : undefined;
    if (trace) trace.llmAt ??= performance.now();
  }

  /** A person DMs the bot (top level, or in a DM thread); resolves when 👀 is removed. */
  ask(userId: string, text: string, threadTs?: string): AskedQuestion {
    this.counter += 1;
    const tag = `q${this.counter}`;
    const callsBefore = this.emulator.calls.length;
    const sentAt = performance.now();
    const ref = this.emulator.dm(userId, `[${tag}] ${text}`, threadTs === undefined ? {} : { threadTs });
    const trace: QuestionTrace = { tag, channel: ref.channel, ts: ref.ts, sentAt, callsBefore };
    const key = keyOf(ref.channel, ref.ts);
    this.byMessage.set(key, trace);
    this.byTag.set(tag, trace);
    const envelope = this.findEnvelope(ref.ts);
    if (!envelope) throw new Error(`no Socket Mode envelope was sent for ${tag}: is message.im subscribed?`);
    void envelope.acked.then((ack) => {
      if (ack !== undefined) trace.ackAt ??= performance.now();
    });
    const done = new Promise<QuestionTrace>((resolve) => this.finishers.set(key, () => resolve(trace)));
    return { trace, done };
  }

  private findEnvelope(ts: string): SentEnvelope | undefined {
    const history = this.emulator.socketMode.history;
    for (let index = history.length - 1; index >= Math.max(0, history.length - ENVELOPE_LOOKBACK); index -= 1) {
      const envelope = history[index];
      const event = envelope?.payload.event as { type?: string; ts?: string } | undefined;
      if (event?.type === 'message' && event.ts === ts) return envelope;
    }
    return undefined;
  }
}

/** Resolves true when every question finished, false when the bound passed first. */
export async function waitForAll(questions: readonly AskedQuestion[], timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([Promise.all(questions.map((question) => question.done)).then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
