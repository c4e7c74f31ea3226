/**
 * The two list columns of analytics_messages, written by the store and read
 * back by the day re-sum: `reactions`, a JSON array of [emoji name, user id]
 * pairs, and `mentions`, a JSON array of user ids; each null when empty.
 * Migration 0007 wrote the same shapes from the old tables.
 */

export type ReactionPair = [name: string, userId: string];

export function reactionsColumn(pairs: readonly ReactionPair[]): string | null {
  return pairs.length > 0 ? JSON.stringify(pairs) : null;
}

export function parseReactions(column: string): ReactionPair[] {
  return JSON.parse(column) as ReactionPair[];
}

export function mentionsColumn(userIds: readonly string[]): string | null {
  return userIds.length > 0 ? JSON.stringify(userIds) : null;
}

export function parseMentions(column: string): string[] {
  return JSON.parse(column) as string[];
}
