/**
 * Which stored messages count as a person's, and how they form threads
 * (pure). Shared by every signal so the definitions cannot drift apart.
 */
import type { MessageMetadata } from './message-metadata.ts';

/**
 * Subtypes a person writes. Every other subtype is a notice Slack posts on
 * someone's behalf (channel_join, channel_topic, tombstone, …) and is not
 * counted as sending a message.
 */
export const PERSON_SUBTYPES: ReadonlySet<string | null> = new Set([null, 'thread_broadcast', 'file_share', 'me_message']);

/** A person message: written by a named person (not a bot or Slackbot), with a subtype people write. */
export function isPersonMessage(message: MessageMetadata): message is MessageMetadata & { authorId: string } {
  return !message.isBot && message.authorId !== null && PERSON_SUBTYPES.has(message.subtype);
}

/** A reply: its thread_ts names another message (a root has thread_ts === ts). */
export function isReply(message: MessageMetadata): boolean {
  return message.threadTs !== null && message.threadTs !== message.ts;
}

/** A thread root: a message with replies (Slack sets thread_ts === ts on it, or reply_count > 0). */
export function isThreadRoot(message: MessageMetadata): boolean {
  return !isReply(message) && (message.threadTs === message.ts || message.replyCount > 0);
}

/** Milliseconds since the epoch of a Slack ts ("1709510400.000100"). */
export function tsToMs(ts: string): number {
  // The parts `ts.split('.')` would give, without building the array: this runs for every stored message.
  const dot = ts.indexOf('.');
  const seconds = dot === -1 ? ts : ts.slice(0, dot);
  const micros = dot === -1 ? '0' : ts.slice(dot + 1, nextIndexOrEnd(ts, '.', dot + 1));
  return Number(seconds) * 1000 + Math.floor(Number(micros.padEnd(6, '0').slice(0, 6)) / 1000);
}

function nextIndexOrEnd(text: string, search: string, from: number): number {
  const index = text.indexOf(search, from);
  return index === -1 ? text.length : index;
}

/** The UTC calendar day of a Slack ts, as YYYY-MM-DD. */
export function tsToUtcDay(ts: string): string {
  return new Date(tsToMs(ts)).toISOString().slice(0, 10);
}

export function threadKey(message: MessageMetadata, threadTs: string): string {
  return `${message.teamId}:${message.channelId}:${threadTs}`;
}

export interface Thread {
  root: MessageMetadata;
  /** Person replies present in the data, oldest first. */
  replies: (MessageMetadata & { authorId: string })[];
}

/**
 * Threads whose root is a person message present in the data, with their
 * person replies, in channel then root-ts order. Replies whose root is not
 * in the data, and threads a bot started (standup prompts, alerts), are left out.
 */
export function groupThreads(messages: readonly MessageMetadata[]): Thread[] {
  const threads = new Map<string, Thread>();
  for (const message of messages) {
    if (isThreadRoot(message) && isPersonMessage(message)) {
      threads.set(threadKey(message, message.ts), { root: message, replies: [] });
    }
  }
  for (const message of messages) {
    if (!isReply(message) || !isPersonMessage(message)) continue;
    threads.get(threadKey(message, message.threadTs as string))?.replies.push(message);
  }
  for (const thread of threads.values()) thread.replies.sort((a, b) => tsToMs(a.ts) - tsToMs(b.ts));
  return [...threads.values()].sort(
    (a, b) => compareText(a.root.channelId, b.root.channelId) || tsToMs(a.root.ts) - tsToMs(b.root.ts),
  );
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
