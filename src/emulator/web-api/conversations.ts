/** conversations.* — history newest first, replies parent first, cursor pagination. */
import { compareTs, decodeCursor, encodeCursor, type CursorKind } from '../ids.ts';
import { renderConversation, renderMessage, renderUser } from '../slack-json.ts';
import type { EmulatedConversation, EmulatedMessage } from '../types.ts';
import { SlackError } from '../workspace.ts';
import {
  LIMITS,
  booleanParam,
  limitParam,
  requireStringParam,
  stringParam,
  type MethodContext,
  type MethodHandler,
} from './context.ts';

function cursorStart(params: Record<string, unknown>, kind: CursorKind): string | undefined {
  const cursor = stringParam(params, 'cursor');
  if (cursor === undefined) return undefined;
  const decoded = decodeCursor(cursor, kind);
  if (decoded === undefined) throw new SlackError('invalid_cursor');
  return decoded;
}

function withinBounds(message: EmulatedMessage, params: Record<string, unknown>): boolean {
  const oldest = stringParam(params, 'oldest');
  const latest = stringParam(params, 'latest');
  const inclusive = booleanParam(params, 'inclusive');
  if (oldest !== undefined) {
    const order = compareTs(message.ts, oldest);
    if (order < 0 || (order === 0 && !inclusive)) return false;
  }
  if (latest !== undefined) {
    const order = compareTs(message.ts, latest);
    if (order > 0 || (order === 0 && !inclusive)) return false;
  }
  return true;
}

/** What a channel shows: roots, standalone messages and replies broadcast with "Also send to #channel". */
export function isChannelLevel(message: EmulatedMessage): boolean {
  return message.threadTs === undefined || message.threadTs === message.ts || message.subtype === 'thread_broadcast';
}

const history: MethodHandler = ({ runtime, workspace, params }) => {
  const channel = workspace.requireBotAccess(requireStringParam(params, 'channel'));
  const limit = limitParam(params, 100, LIMITS.historyMaxLimit);
  // Top-level messages, newest first: replies stay in their threads unless also sent to the channel.
  const all = workspace
    .listMessages(channel.id)
    .filter(isChannelLevel)
    .filter((message) => withinBounds(message, params))
    .reverse();
  const after = cursorStart(params, 'next_ts');
  const start = after === undefined ? 0 : all.findIndex((message) => compareTs(message.ts, after) <= 0);
  const page = start < 0 ? [] : all.slice(start, start + limit);
  const next = start < 0 ? undefined : all[start + limit];
  return {
    messages: page.map((message) => renderMessage(workspace, message, runtime.baseUrl)),
    has_more: next !== undefined,
    pin_count: 0,
    channel_actions_ts: null,
    channel_actions_count: 0,
    ...(next ? { response_metadata: { next_cursor: encodeCursor('next_ts', next.ts) } } : {}),
  };
};

const replies: MethodHandler = ({ runtime, workspace, params }) => {
  const channel = workspace.requireBotAccess(requireStringParam(params, 'channel'));
  const thread = workspace.threadOf(channel.id, requireStringParam(params, 'ts'));
  const [root, ...rest] = thread;
  const limit = limitParam(params, 1000, LIMITS.listMaxLimit);
  const inRange = rest.filter((message) => withinBounds(message, params));
  const after = cursorStart(params, 'next_ts');
  const start = after === undefined ? 0 : inRange.findIndex((message) => compareTs(message.ts, after) >= 0);
  // Slack repeats the parent at the top of every page and counts it against the limit.
  const pageSize = Math.max(limit - 1, 1);
  const page = start < 0 ? [] : inRange.slice(start, start + pageSize);
  const next = start < 0 ? undefined : inRange[start + pageSize];
  const messages = root ? [root, ...page] : page;
  return {
    messages: messages.map((message) => renderMessage(workspace, message, runtime.baseUrl)),
    has_more: next !== undefined,
    ...(next ? { response_metadata: { next_cursor: encodeCursor('next_ts', next.ts) } } : {}),
  };
};

const info: MethodHandler = ({ workspace, params }) => {
  const conversation = workspace.requireConversation(requireStringParam(params, 'channel'));
  if (conversation.kind !== 'public' && !conversation.members.has(workspace.bot.id)) {
    throw new SlackError('channel_not_found');
  }
  return { channel: renderConversation(workspace, conversation, { numMembers: booleanParam(params, 'include_num_members') }) };
};

const KIND_BY_TYPE = { public_channel: 'public', private_channel: 'private', im: 'im', mpim: 'mpim' } as const;

/** The conversation kinds a `types` parameter names (public_channel by default). */
function kindsParam(params: Record<string, unknown>): Set<string> {
  const types = (stringParam(params, 'types') ?? 'public_channel').split(',').map((type) => type.trim());
  const kinds = new Set<string>();
  for (const type of types) {
    const kind = KIND_BY_TYPE[type as keyof typeof KIND_BY_TYPE];
    if (!kind) throw new SlackError('invalid_types');
    kinds.add(kind);
  }
  return kinds;
}

/** A bot token sees every public channel, and other conversations only from inside. */
function visibleToBot(workspace: MethodContext['workspace'], conversation: EmulatedConversation): boolean {
  return conversation.kind === 'public' || conversation.members.has(workspace.bot.id);
}

const list: MethodHandler = ({ workspace, params }) => {
  const kinds = kindsParam(params);
  const excludeArchived = booleanParam(params, 'exclude_archived');
  const visible = [...workspace.conversations.values()].filter(
    (conversation) =>
      kinds.has(conversation.kind) && visibleToBot(workspace, conversation) && !(excludeArchived && conversation.isArchived),
  );
  return paginateById(params, visible, (conversation) => renderConversation(workspace, conversation, { listing: true }), {
    key: 'channels',
    cursor: 'team',
  });
};

const members: MethodHandler = ({ workspace, params }) => {
  const conversation = workspace.requireConversation(requireStringParam(params, 'channel'));
  if (conversation.kind !== 'public' && !conversation.members.has(workspace.bot.id)) {
    throw new SlackError('channel_not_found');
  }
  const memberIds = [...conversation.members].map((id) => ({ id }));
  return paginateById(params, memberIds, (member) => member.id, { key: 'members', cursor: 'user' });
};

const join: MethodHandler = ({ workspace, params }) => {
  const conversation = workspace.requireConversation(requireStringParam(params, 'channel'));
  // A private channel the bot is not in does not exist for its token.
  if (!visibleToBot(workspace, conversation)) throw new SlackError('channel_not_found');
  if (conversation.kind !== 'public') throw new SlackError('method_not_supported_for_channel_type');
  if (conversation.isArchived) throw new SlackError('is_archived');
  const joined = workspace.join(conversation.id, workspace.bot.id);
  return {
    channel: renderConversation(workspace, conversation),
    ...(joined ? {} : { warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } }),
  };
};

/** Users conversations.open accepts for a group DM. */
const MAX_MPIM_USERS = 8;

const open: MethodHandler = ({ workspace, params }) => {
  const users = (stringParam(params, 'users') ?? '').split(',').filter((id) => id !== '');
  const channelParam = stringParam(params, 'channel');
  if (channelParam) return { channel: { id: workspace.requireConversation(channelParam).id }, no_op: true, already_open: true };
  if (users.length === 0) throw new SlackError('users_list_not_supplied');
  // Slack's limit for a group DM: 8 people besides the caller.
  if (users.length > MAX_MPIM_USERS) throw new SlackError('too_many_users');
  if (users.length > 1) {
    const before = workspace.conversations.size;
    const group = workspace.openMpim(users);
    return { channel: { id: group.id }, ...(workspace.conversations.size === before ? { no_op: true, already_open: true } : {}) };
  }
  const existing = [...workspace.conversations.values()].some((c) => c.kind === 'im' && c.imUser === users[0]);
  const conversation = workspace.openIm(users[0] as string);
  return {
    channel: { id: conversation.id },
    ...(existing ? { no_op: true, already_open: true } : {}),
  };
};

/**
 * The conversations `user` (the bot by default) is in, as far as the bot
 * token can see: someone else's private channels only when the bot is in them too.
 */
const usersConversations: MethodHandler = ({ workspace, params }) => {
  const userId = stringParam(params, 'user') ?? workspace.bot.id;
  workspace.requireUser(userId);
  const kinds = kindsParam(params);
  const excludeArchived = booleanParam(params, 'exclude_archived');
  const mine = [...workspace.conversations.values()].filter(
    (conversation) =>
      kinds.has(conversation.kind) &&
      conversation.members.has(userId) &&
      visibleToBot(workspace, conversation) &&
      !(excludeArchived && conversation.isArchived),
  );
  return paginateById(params, mine, (conversation) => renderConversation(workspace, conversation, { viewer: false }), {
    key: 'channels',
    cursor: 'team',
  });
};

const usersList: MethodHandler = ({ workspace, params }) =>
  paginateById(params, [...workspace.users.values()], (user) => renderUser(workspace, user), {
    key: 'members',
    cursor: 'user',
    extra: { cache_ts: workspace.nowSeconds() },
  });

/** Id-ordered pagination used by the list methods; the cursor names the next item's id. */
function paginateById<T extends { id: string }>(
  params: Record<string, unknown>,
  items: T[],
  render: (item: T) => unknown,
  page: { key: string; cursor: CursorKind; extra?: Record<string, unknown> },
): Record<string, unknown> {
  const limit = limitParam(params, 100, LIMITS.listMaxLimit);
  const sorted = [...items].sort((a, b) => a.id.localeCompare(b.id));
  const after = cursorStart(params, page.cursor);
  const start = after === undefined ? 0 : sorted.findIndex((item) => item.id === after);
  if (start < 0) throw new SlackError('invalid_cursor');
  const next = sorted[start + limit];
  return {
    [page.key]: sorted.slice(start, start + limit).map(render),
    ...page.extra,
    // Lists always carry response_metadata; an empty next_cursor marks the last page.
    response_metadata: { next_cursor: next ? encodeCursor(page.cursor, next.id) : '' },
  };
}

export const conversationMethods: Record<string, MethodHandler> = {
  'conversations.history': history,
  'conversations.replies': replies,
  'conversations.info': info,
  'conversations.list': list,
  'conversations.members': members,
  'conversations.join': join,
  'conversations.open': open,
  'users.conversations': usersConversations,
  'users.list': usersList,
};
