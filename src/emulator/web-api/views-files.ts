/** views.* (single-use trigger ids, hash checks) and the files.uploadV2 flow. */
import { createHash } from 'node:crypto';
import { renderFile, renderView } from '../slack-json.ts';
import type { EmulatedView } from '../types.ts';
import { SlackError, type Workspace } from '../workspace.ts';
import {
  LIMITS,
  jsonParam,
  requireStringParam,
  stringParam,
  type MethodContext,
  type MethodHandler,
} from './context.ts';

function parseView(params: Record<string, unknown>, expectedTypes: readonly string[]): Record<string, unknown> {
  const view = jsonParam(params, 'view');
  if (typeof view !== 'object' || view === null || Array.isArray(view)) throw new SlackError('invalid_arguments');
  const record = view as Record<string, unknown>;
  if (typeof record.type !== 'string' || !expectedTypes.includes(record.type)) {
    throw new SlackError('invalid_arguments', {
      response_metadata: { messages: [`[ERROR] must be one of ${expectedTypes.join(', ')} [json-pointer:/view/type]`] },
    });
  }
  const blocks = record.blocks;
  if (!Array.isArray(blocks)) throw new SlackError('invalid_arguments');
  if (blocks.length > LIMITS.viewBlocks) {
    throw new SlackError('invalid_arguments', {
      response_metadata: { messages: [`[ERROR] no more than ${LIMITS.viewBlocks} items allowed [json-pointer:/view/blocks]`] },
    });
  }
  if (typeof record.private_metadata === 'string' && record.private_metadata.length > LIMITS.privateMetadata) {
    throw new SlackError('invalid_arguments');
  }
  if (record.type === 'modal' && (typeof record.title !== 'object' || record.title === null)) {
    throw new SlackError('invalid_arguments', {
      response_metadata: { messages: ['[ERROR] missing required field: title [json-pointer:/view]'] },
    });
  }
  return record;
}

/** Slack's view hashes look like "1596530361.3wRYuk3R"; each update gets a new one. */
function hashView(workspace: Workspace, view: Record<string, unknown>, salt: string): string {
  const digest = createHash('sha1').update(`${salt}${workspace.nextTs()}${JSON.stringify(view)}`).digest('base64url');
  return `${workspace.nowSeconds()}.${digest.slice(0, 8)}`;
}

function storeView(workspace: Workspace, record: Omit<EmulatedView, 'hash'>): EmulatedView {
  const stored: EmulatedView = { ...record, hash: hashView(workspace, record.view, record.id) };
  workspace.views.set(stored.id, stored);
  return stored;
}

/** A fresh view record: a root view unless `parent` is the modal it is pushed onto. */
function newView(
  id: string,
  type: EmulatedView['type'],
  userId: string,
  view: Record<string, unknown>,
  parent?: EmulatedView,
): Omit<EmulatedView, 'hash'> {
  return {
    id,
    type,
    userId,
    view,
    rootViewId: parent?.rootViewId ?? id,
    previousViewId: parent?.id ?? null,
    externalId: !parent && typeof view.external_id === 'string' ? view.external_id : '',
    state: {},
    closed: false,
  };
}

const publish: MethodHandler = ({ workspace, params }) => {
  const userId = requireStringParam(params, 'user_id');
  workspace.requireUser(userId);
  const view = parseView(params, ['home']);
  const existingId = workspace.homeViews.get(userId);
  const existing = existingId ? workspace.views.get(existingId) : undefined;
  const hash = stringParam(params, 'hash');
  if (existing && hash !== undefined && hash !== existing.hash) throw new SlackError('hash_conflict');
  const id = existing?.id ?? workspace.newId('V');
  const stored = storeView(workspace, newView(id, 'home', userId, view));
  workspace.homeViews.set(userId, id);
  return { view: renderView(workspace, stored) };
};

function consumeTrigger({ runtime, params, workspace }: MethodContext): string {
  const triggerId = requireStringParam(params, 'trigger_id');
  const trigger = runtime.triggers.get(triggerId);
  if (!trigger) throw new SlackError('invalid_trigger_id');
  if (trigger.used) throw new SlackError('exchanged_trigger_id');
  if (workspace.now() - trigger.issuedAt > LIMITS.triggerTtlMs) throw new SlackError('expired_trigger_id');
  trigger.used = true;
  return trigger.userId;
}

const open: MethodHandler = (context) => {
  const view = parseView(context.params, ['modal']);
  const userId = consumeTrigger(context);
  const stored = storeView(context.workspace, newView(context.workspace.newId('V'), 'modal', userId, view));
  return { view: renderView(context.workspace, stored) };
};

const push: MethodHandler = (context) => {
  const view = parseView(context.params, ['modal']);
  const userId = consumeTrigger(context);
  const openModals = [...context.workspace.views.values()].filter((v) => v.userId === userId && v.type === 'modal' && !v.closed);
  const parent = openModals.at(-1);
  if (!parent) throw new SlackError('not_found');
  const stored = storeView(context.workspace, newView(context.workspace.newId('V'), 'modal', userId, view, parent));
  return { view: renderView(context.workspace, stored) };
};

const update: MethodHandler = ({ workspace, params }) => {
  const viewId = stringParam(params, 'view_id');
  const externalId = stringParam(params, 'external_id');
  const existing = viewId
    ? workspace.views.get(viewId)
    : [...workspace.views.values()].find((view) => externalId !== undefined && view.externalId === externalId);
  if (!existing || existing.closed) throw new SlackError('not_found');
  const hash = stringParam(params, 'hash');
  if (hash !== undefined && hash !== existing.hash) throw new SlackError('hash_conflict');
  const view = parseView(params, [existing.type]);
  const stored = storeView(workspace, { ...existing, view });
  return { view: renderView(workspace, stored) };
};

const EXTENSION_TYPES: Record<string, { mimetype: string; filetype: string; pretty: string }> = {
  png: { mimetype: 'image/png', filetype: 'png', pretty: 'PNG' },
  jpg: { mimetype: 'image/jpeg', filetype: 'jpg', pretty: 'JPEG' },
  jpeg: { mimetype: 'image/jpeg', filetype: 'jpg', pretty: 'JPEG' },
  gif: { mimetype: 'image/gif', filetype: 'gif', pretty: 'GIF' },
  csv: { mimetype: 'text/csv', filetype: 'csv', pretty: 'CSV' },
  txt: { mimetype: 'text/plain', filetype: 'text', pretty: 'Plain Text' },
  json: { mimetype: 'application/json', filetype: 'json', pretty: 'JSON' },
  pdf: { mimetype: 'application/pdf', filetype: 'pdf', pretty: 'PDF' },
};

export function describeFileType(name: string) {
  const extension = name.split('.').pop()?.toLowerCase() ?? '';
  return EXTENSION_TYPES[extension] ?? { mimetype: 'application/octet-stream', filetype: 'binary', pretty: 'Binary' };
}

const getUploadUrl: MethodHandler = ({ runtime, workspace, params }) => {
  const filename = requireStringParam(params, 'filename');
  const length = Number(requireStringParam(params, 'length'));
  if (!Number.isInteger(length) || length <= 0) throw new SlackError('invalid_arguments');
  const type = describeFileType(filename);
  const id = workspace.newId('F');
  const altText = stringParam(params, 'alt_text') ?? stringParam(params, 'alt_txt');
  workspace.files.set(id, {
    id,
    name: filename,
    title: filename,
    ...(altText ? { altText } : {}),
    mimetype: type.mimetype,
    filetype: type.filetype,
    prettyType: type.pretty,
    user: workspace.bot.id,
    created: workspace.nowSeconds(),
    bytes: Buffer.alloc(0),
    channels: [],
    completed: false,
    declaredLength: length,
  });
  return { upload_url: `${runtime.baseUrl}upload/v1/${id}`, file_id: id };
};

const completeUpload: MethodHandler = ({ runtime, workspace, params }) => {
  const entries = jsonParam(params, 'files');
  if (!Array.isArray(entries) || entries.length === 0) throw new SlackError('invalid_arguments');
  const channelId = stringParam(params, 'channel_id') ?? stringParam(params, 'channels');
  const files = entries.map((entry: { id?: string; title?: string }) => {
    const file = entry.id ? workspace.files.get(entry.id) : undefined;
    if (!file) throw new SlackError('file_not_found');
    if (file.bytes.length === 0) throw new SlackError('file_upload_not_found');
    if (file.completed) throw new SlackError('file_already_completed');
    if (entry.title) file.title = entry.title;
    file.completed = true;
    return file;
  });
  if (channelId) {
    workspace.requireBotAccess(channelId);
    workspace.postMessage({
      channel: channelId,
      user: workspace.bot.id,
      botId: workspace.bot.botId,
      text: stringParam(params, 'initial_comment') ?? '',
      threadTs: stringParam(params, 'thread_ts'),
      fileIds: files.map((file) => file.id),
    });
  }
  return { files: files.map((file) => renderFile(workspace, file, runtime.baseUrl)) };
};

const filesInfo: MethodHandler = ({ runtime, workspace, params }) => {
  const file = workspace.files.get(requireStringParam(params, 'file'));
  if (!file?.completed) throw new SlackError('file_not_found');
  return { file: renderFile(workspace, file, runtime.baseUrl) };
};

export const viewAndFileMethods: Record<string, MethodHandler> = {
  'views.publish': publish,
  'views.open': open,
  'views.push': push,
  'views.update': update,
  'files.getUploadURLExternal': getUploadUrl,
  'files.completeUploadExternal': completeUpload,
  'files.info': filesInfo,
};
