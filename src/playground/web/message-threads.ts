/**
 * Which messages the channel view and a thread pane show. A reply lives in its
 * thread only, unless it was also sent to the channel (thread_broadcast).
 * DOM-free.
 */
import type { PlaygroundMessage } from '../protocol.ts';

/** Whether a message belongs in the channel's own list. */
export function isTopLevel(message: Pick<PlaygroundMessage, 'ts' | 'threadTs' | 'subtype'>): boolean {
  return message.threadTs === undefined || message.threadTs === message.ts || message.subtype === 'thread_broadcast';
}

export function topLevelMessages(messages: readonly PlaygroundMessage[]): PlaygroundMessage[] {
  return messages.filter(isTopLevel);
}

/** A thread as the pane shows it: the root (if still there), then its replies oldest first. */
export function threadMessages(messages: readonly PlaygroundMessage[], rootTs: string): { root: PlaygroundMessage | undefined; replies: PlaygroundMessage[] } {
  return {
    root: messages.find((message) => message.ts === rootTs),
    replies: messages.filter((message) => message.threadTs === rootTs && message.ts !== rootTs),
  };
}

/** The "N replies" line under a root. */
export function describeReplies(count: number): string {
  return count === 1 ? '1 reply' : `${count} replies`;
}

/** A message's time, "14:05", in the browser's zone. */
export function formatMessageTime(ts: string, locale?: string): string {
  const date = new Date(Number.parseFloat(ts) * 1000);
  return date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

/** The calendar day a message belongs to, for day dividers: "2026-11-23" (local). */
export function dayKeyOf(ts: string): string {
  const date = new Date(Number.parseFloat(ts) * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A day divider's label: "Today", "Yesterday", else "Monday, November 23". */
export function describeDay(ts: string, now: Date = new Date(), locale?: string): string {
  const day = dayKeyOf(ts);
  const today = dayKeyOf(String(now.getTime() / 1000));
  const yesterday = dayKeyOf(String(now.getTime() / 1000 - 86_400));
  if (day === today) return 'Today';
  if (day === yesterday) return 'Yesterday';
  return new Date(Number.parseFloat(ts) * 1000).toLocaleDateString(locale, { weekday: 'long', month: 'long', day: 'numeric' });
}

/** Whether a message's blocks say more than its text: anything beyond rich_text (people's messages carry only that). */
export function showsBlocks(message: Pick<PlaygroundMessage, 'blocks'>): boolean {
  return (message.blocks ?? []).some((block) => typeof block !== 'object' || block === null || (block as { type?: unknown }).type !== 'rich_text');
}
