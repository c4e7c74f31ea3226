/** The emulator's own records: what a Slack workspace holds, in Slack's field names. */

export interface EmulatedUser {
  id: string;
  name: string;
  realName: string;
  displayName: string;
  email: string;
  isAdmin: boolean;
  isOwner: boolean;
  isPrimaryOwner: boolean;
  isBot: boolean;
  deleted: boolean;
  tz: string;
  tzLabel: string;
  tzOffset: number;
  botId?: string;
  appId?: string;
}

export type ConversationKind = 'public' | 'private' | 'im' | 'mpim';

export interface EmulatedConversation {
  id: string;
  name: string;
  kind: ConversationKind;
  created: number;
  creator: string;
  isArchived: boolean;
  isGeneral: boolean;
  members: Set<string>;
  /** The other party of a DM. */
  imUser?: string;
  topic: string;
  purpose: string;
}

export interface EmulatedReaction {
  name: string;
  users: string[];
}

export interface EmulatedFile {
  id: string;
  name: string;
  title: string;
  altText?: string;
  mimetype: string;
  filetype: string;
  prettyType: string;
  user: string;
  created: number;
  bytes: Buffer;
  /** Set once files.completeUploadExternal shares it. */
  channels: string[];
  completed: boolean;
  /** Declared by files.getUploadURLExternal; the uploaded bytes must match it. */
  declaredLength: number;
}

export interface EmulatedMessage {
  ts: string;
  channel: string;
  type: 'message';
  subtype?: string;
  user: string;
  botId?: string;
  appId?: string;
  text: string;
  blocks?: unknown[];
  threadTs?: string;
  parentUserId?: string;
  /** Replies, maintained on thread roots. */
  replyTs: string[];
  replyUsers: string[];
  reactions: EmulatedReaction[];
  fileIds: string[];
  clientMsgId?: string;
  edited?: { user: string; ts: string };
  /** Streaming state (chat.startStream…stopStream). */
  streaming?: boolean;
  metadata?: unknown;
}

export interface EmulatedView {
  id: string;
  type: 'home' | 'modal';
  userId: string;
  view: Record<string, unknown>;
  hash: string;
  rootViewId: string;
  previousViewId: string | null;
  externalId: string;
  /** Values typed into inputs by the driver, keyed block_id → action_id. */
  state: Record<string, Record<string, unknown>>;
  closed: boolean;
}

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  token: string | undefined;
  at: number;
  ok: boolean;
  error?: string;
  status: number;
}

/** What changed in the workspace; each change may become Events API payloads. */
export type WorkspaceChange =
  | { kind: 'message_posted'; message: EmulatedMessage }
  | { kind: 'message_changed'; message: EmulatedMessage; previous: EmulatedMessage }
  | { kind: 'message_deleted'; message: EmulatedMessage }
  | { kind: 'reaction_added' | 'reaction_removed'; message: EmulatedMessage; user: string; reaction: string }
  | { kind: 'member_joined_channel'; channel: EmulatedConversation; user: string; inviter?: string };

export interface TeamInfo {
  id: string;
  name: string;
  domain: string;
  appId: string;
  enterpriseId: null;
}

export interface NewUser {
  name: string;
  realName?: string;
  displayName?: string;
  email?: string;
  isAdmin?: boolean;
  isOwner?: boolean;
  isPrimaryOwner?: boolean;
  isBot?: boolean;
  tz?: string;
  id?: string;
}

export interface NewMessage {
  channel: string;
  user: string;
  text: string;
  threadTs?: string | undefined;
  blocks?: unknown[] | undefined;
  fileIds?: string[] | undefined;
  subtype?: string | undefined;
  botId?: string | undefined;
  appId?: string | undefined;
  metadata?: unknown;
  streaming?: boolean;
}

/**
 * A message from before the app was listening, placed at a chosen ts
 * (Workspace.importMessage). `user` may be left out for a bot's message when
 * `botId` names a bot user.
 */
export interface ImportedMessage {
  channel: string;
  /** Slack's "<unix seconds>.<6 digits>", e.g. "1763000000.000100". */
  ts: string;
  user?: string | undefined;
  botId?: string | undefined;
  subtype?: string | undefined;
  text: string;
  /** The root's ts for a thread reply. */
  threadTs?: string | undefined;
  reactions?: { name: string; users: string[] }[] | undefined;
  edited?: boolean | undefined;
  fileIds?: string[] | undefined;
  /** A reply also sent to the channel ("Also send to #channel"): subtype thread_broadcast. */
  replyBroadcast?: boolean | undefined;
  blocks?: unknown[] | undefined;
}
