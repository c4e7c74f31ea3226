/** chat.* — posting, updating, deleting, permalinks and the streaming trio. */
import { renderMessage } from '../slack-json.ts';
import { SlackError, type Workspace } from '../workspace.ts';
import { LIMITS, jsonParam, requireStringParam, stringParam, type MethodContext, type MethodHandler } from './context.ts';

function validateBlocks(blocks: unknown, max: number): unknown[] | undefined {
  if (blocks === undefined) return undefined;
  if (!Array.isArray(blocks)) throw new SlackError('invalid_blocks_format');
  if (blocks.length > max) throw new SlackError('msg_blocks_too_long');
  const problems: string[] = [];
  blocks.forEach((block, index) => {
    if (typeof block !== 'object' || block === null || typeof (block as { type?: unknown }).type !== 'string') {
      problems.push(`[ERROR] missing required field: type [json-pointer:/blocks/${index}]`);
    }
  });
  if (problems.length > 0) {
    throw new SlackError('invalid_blocks', { errors: problems, response_metadata: { messages: problems } });
  }
  return blocks;
}

/** The text a message carries: `text`, else `markdown_text`, else nothing (blocks-only). */
function messageText(params: Record<string, unknown>, blocks: unknown[] | undefined): string {
  const text = stringParam(params, 'text');
  const markdown = stringParam(params, 'markdown_text');
  if (text !== undefined && markdown !== undefined) throw new SlackError('markdown_text_conflict');
  if (blocks !== undefined && markdown !== undefined) throw new SlackError('markdown_text_conflict');
  const body = text ?? markdown;
  if (body === undefined && blocks === undefined) throw new SlackError('no_text');
  if (body !== undefined && body.length > LIMITS.postMessageText) throw new SlackError('msg_too_long');
  return body ?? '';
}

function postAsBot(workspace: Workspace, channel: string, fields: Parameters<Workspace['postMessage']>[0]) {
  workspace.requireBotAccess(channel);
  return workspace.postMessage({ ...fields, user: workspace.bot.id, botId: workspace.bot.botId, appId: workspace.team.appId });
}

const postMessage: MethodHandler = ({ runtime, workspace, params }) => {
  const channel = resolveChannel(workspace, requireStringParam(params, 'channel'));
  const blocks = validateBlocks(jsonParam(params, 'blocks'), LIMITS.messageBlocks);
  const text = messageText(params, blocks);
  const message = postAsBot(workspace, channel, {
    channel,
    user: workspace.bot.id,
    text,
    threadTs: stringParam(params, 'thread_ts'),
    blocks,
    metadata: jsonParam(params, 'metadata'),
  });
  return { channel, ts: message.ts, message: renderMessage(workspace, message, runtime.baseUrl) };
};

/** A user id as `channel` means "the DM with that user", as in Slack. */
function resolveChannel(workspace: Workspace, channel: string): string {
  if (/^[UW]/.test(channel) && workspace.users.has(channel)) return workspace.openIm(channel).id;
  return channel;
}

function requireOwnMessage({ workspace, params }: MethodContext) {
  const channel = workspace.requireBotAccess(requireStringParam(params, 'channel'));
  const message = workspace.requireMessage(channel.id, requireStringParam(params, 'ts'));
  if (message.botId !== workspace.bot.botId) throw new SlackError('cant_update_message');
  return message;
}

/** chat.update's `message` carries no ts or thread fields (slack-captures/UpdateRsp/actual.json). */
const UPDATED_MESSAGE_FIELDS = [
  'bot_id', 'type', 'text', 'user', 'team', 'bot_profile', 'edited', 'upload', 'display_as_bot', 'app_id', 'metadata', 'files', 'blocks',
];

function pickFields(source: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((field) => field in source).map((field) => [field, source[field]]));
}

const update: MethodHandler = (context) => {
  const { runtime, workspace, params } = context;
  const message = requireOwnMessage(context);
  const blocks = validateBlocks(jsonParam(params, 'blocks'), LIMITS.messageBlocks);
  const text = stringParam(params, 'text') ?? stringParam(params, 'markdown_text');
  if (text !== undefined && text.length > LIMITS.updateText) throw new SlackError('msg_too_long');
  const updated = workspace.updateMessage(
    message.channel,
    message.ts,
    { ...(text !== undefined ? { text } : {}), ...(blocks !== undefined ? { blocks } : {}) },
    workspace.bot.botId,
  );
  return {
    channel: updated.channel,
    ts: updated.ts,
    text: updated.text,
    message: pickFields(renderMessage(workspace, updated, runtime.baseUrl), UPDATED_MESSAGE_FIELDS),
  };
};

const deleteMessage: MethodHandler = (context) => {
  const message = requireOwnMessage(context);
  context.workspace.deleteMessage(message.channel, message.ts);
  return { channel: message.channel, ts: message.ts };
};

const postEphemeral: MethodHandler = ({ workspace, params }) => {
  const channel = workspace.requireBotAccess(requireStringParam(params, 'channel'));
  const user = requireStringParam(params, 'user');
  workspace.requireUser(user);
  if (!channel.members.has(user)) throw new SlackError('user_not_in_channel');
  // Ephemeral messages are never stored in history; Slack returns a ts all the same.
  return { message_ts: workspace.nextTs() };
};

const getPermalink: MethodHandler = ({ workspace, params }) => {
  const channel = workspace.requireConversation(requireStringParam(params, 'channel'));
  const ts = requireStringParam(params, 'message_ts');
  workspace.requireMessage(channel.id, ts);
  return { channel: channel.id, permalink: workspace.permalink(channel.id, ts) };
};

/**
 * Slack takes at most 12,000 characters of `markdown_text` per call and per
 * streamed message (docs/slack-protocol.md, "Limits and formatting"); more
 * is refused with msg_too_long, and the message is left as it was.
 */
const STREAMED_MESSAGE_CHAR_LIMIT = 12_000;

/**
 * Streamed text arrives as `markdown_text` or, from @slack/web-api's chatStream
 * helper, as `chunks` of `{type: "markdown_text", text}`. One call's text is
 * held to the per-message limit on its own.
 */
function streamedText(params: Record<string, unknown>): string {
  const chunks = jsonParam(params, 'chunks');
  const fromChunks = Array.isArray(chunks)
    ? chunks
        .filter((chunk): chunk is { type: string; text: string } => typeof chunk === 'object' && chunk !== null && (chunk as { type?: unknown }).type === 'markdown_text')
        .map((chunk) => String(chunk.text))
        .join('')
    : '';
  const text = (stringParam(params, 'markdown_text') ?? '') + fromChunks;
  if (text.length > STREAMED_MESSAGE_CHAR_LIMIT) throw new SlackError('msg_too_long');
  return text;
}

/** The streamed message's text once `addition` is appended, refused when the message would outgrow Slack's limit. */
function grownStreamText(current: string, addition: string): string {
  const text = current + addition;
  if (text.length > STREAMED_MESSAGE_CHAR_LIMIT) throw new SlackError('msg_too_long');
  return text;
}

const startStream: MethodHandler = ({ workspace, params }) => {
  const channel = requireStringParam(params, 'channel');
  const conversation = workspace.requireBotAccess(channel);
  const threadTs = requireStringParam(params, 'thread_ts');
  if (conversation.kind !== 'im' && !stringParam(params, 'recipient_user_id')) {
    throw new SlackError('missing_recipient_user_id');
  }
  const message = postAsBot(workspace, channel, {
    channel,
    user: workspace.bot.id,
    text: streamedText(params),
    threadTs,
    streaming: true,
  });
  return { channel, ts: message.ts };
};

function requireStreaming(context: MethodContext) {
  const message = requireOwnMessage(context);
  if (!message.streaming) throw new SlackError('message_not_in_streaming_state');
  return message;
}

const appendStream: MethodHandler = (context) => {
  const message = requireStreaming(context);
  const chunk = streamedText(context.params);
  if (chunk === '') throw new SlackError('invalid_arguments', { response_metadata: { messages: ['[ERROR] missing required field: markdown_text'] } });
  context.workspace.updateMessage(message.channel, message.ts, { text: grownStreamText(message.text, chunk) }, undefined);
  return { channel: message.channel, ts: message.ts };
};

/** chat.stopStream's `message` fields, per @slack/web-api's ChatStopStreamResponse (generated from real responses). */
const STOPPED_MESSAGE_FIELDS = ['app_id', 'blocks', 'bot_id', 'bot_profile', 'parent_user_id', 'team', 'text', 'thread_ts', 'ts', 'type', 'user'];

const stopStream: MethodHandler = (context) => {
  const { runtime, workspace, params } = context;
  const message = requireStreaming(context);
  const blocks = validateBlocks(jsonParam(params, 'blocks'), LIMITS.messageBlocks);
  // Checked before the stream closes, so a refused stop changes nothing and the app may retry it.
  const text = grownStreamText(message.text, streamedText(params));
  delete message.streaming;
  const updated = workspace.updateMessage(
    message.channel,
    message.ts,
    { text, ...(blocks ? { blocks } : {}) },
    undefined,
  );
  const rendered = renderMessage(workspace, updated, runtime.baseUrl);
  return { channel: updated.channel, ts: updated.ts, message: pickFields(rendered, STOPPED_MESSAGE_FIELDS) };
};

export const chatMethods: Record<string, MethodHandler> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.delete': deleteMessage,
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': getPermalink,
  'chat.startStream': startStream,
  'chat.appendStream': appendStream,
  'chat.stopStream': stopStream,
};
