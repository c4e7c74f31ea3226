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
