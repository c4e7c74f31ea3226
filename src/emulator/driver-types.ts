/**
 * The shapes the emulator driver hands to tests (message refs, the seeded
 * workspace, history to import), in their own module so the driver's parts
 * share them without importing the driver itself.
 */
import type { EmulatedConversation, EmulatedUser, ImportedMessage } from './types.ts';

export interface MessageRef {
  channel: string;
  ts: string;
}

/** Where a person acts: a view (App Home or modal) or a message. */
export type ActionTarget = { viewId: string } | MessageRef;

export interface SeededWorkspace {
  admin: EmulatedUser;
  alice: EmulatedUser;
  bob: EmulatedUser;
  general: EmulatedConversation;
  random: EmulatedConversation;
  leads: EmulatedConversation;
}

/** One message of a conversation's past for importHistory (the conversation is given once). */
export type HistoryMessage = Omit<ImportedMessage, 'channel'>;

export type BotUser = EmulatedUser & { botId: string; appId: string };
