/**
 * Renders emulator records as the JSON Slack returns. Field names and types
 * follow ../shared/fixtures/slack-field-samples; the fidelity tests check
 * that nothing here is invented.
 */
import type { EmulatedConversation, EmulatedFile, EmulatedMessage, EmulatedUser, EmulatedView } from './types.ts';
import type { Workspace } from './workspace.ts';

export function renderUser(workspace: Workspace, user: EmulatedUser): Record<string, unknown> {
  const [firstName = '', ...rest] = user.realName.split(' ');
  return {
    id: user.id,
    team_id: workspace.team.id,
    name: user.name,
    deleted: user.deleted,
    color: '9f69e7',
    real_name: user.realName,
    tz: user.tz,
    tz_label: user.tzLabel,
    tz_offset: user.tzOffset,
    profile: {
      title: '',
      phone: '',
      skype: '',
      real_name: user.realName,
      real_name_normalized: user.realName,
      display_name: user.displayName,
      display_name_normalized: user.displayName,
      status_text: '',
      status_emoji: '',
      status_expiration: 0,
      avatar_hash: 'g0000000000',
      ...(user.isBot ? { bot_id: user.botId, api_app_id: user.appId, always_active: true } : { email: user.email }),
      first_name: firstName,
      last_name: rest.join(' '),
      image_72: `https://secure.gravatar.com/avatar/${user.id}.jpg?s=72`,
      team: workspace.team.id,
    },
    is_admin: user.isAdmin,
    is_owner: user.isOwner,
    is_primary_owner: user.isPrimaryOwner,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.isBot,
    is_app_user: false,
    updated: workspace.nowSeconds(),
    is_email_confirmed: !user.isBot,
    who_can_share_contact_card: 'EVERYONE',
  };
}

export interface ConversationView {
  /** Whose membership `is_member` reports (the bot by default); false leaves `is_member` out (users.conversations). */
  viewer?: string | false;
  /** conversations.list's shape: member counts, and is_user_deleted on DMs (field sample conversations.list). */
  listing?: boolean;
  /** conversations.info counts members only with include_num_members. */
  numMembers?: boolean;
}

export function renderConversation(
  workspace: Workspace,
  conversation: EmulatedConversation,
  view: ConversationView = {},
): Record<string, unknown> {
  const viewer = view.viewer ?? workspace.bot.id;
  const base = { id: conversation.id, created: conversation.created, is_archived: conversation.isArchived };
  if (conversation.kind === 'im') {
    return {
      ...base,
      is_im: true,
      is_org_shared: false,
      context_team_id: workspace.team.id,
      updated: conversation.created * 1000,
      user: conversation.imUser,
      ...(view.listing ? { is_user_deleted: false } : {}),
      priority: 0,
    };
  }
  return {
    ...base,
    name: conversation.name,
    is_channel: conversation.kind === 'public',
    is_group: conversation.kind === 'private',
    is_im: false,
    is_mpim: conversation.kind === 'mpim',
    is_private: conversation.kind !== 'public',
    is_general: conversation.isGeneral,
    unlinked: 0,
    name_normalized: conversation.name,
    is_shared: false,
    is_org_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    context_team_id: workspace.team.id,
    updated: conversation.created * 1000,
    parent_conversation: null,
    creator: conversation.creator,
    is_ext_shared: false,
    shared_team_ids: [workspace.team.id],
    pending_connected_team_ids: [],
    ...(viewer === false ? {} : { is_member: conversation.members.has(viewer) }),
    topic: { value: conversation.topic, creator: '', last_set: 0 },
    purpose: { value: conversation.purpose, creator: '', last_set: 0 },
    previous_names: [],
    ...(view.listing || view.numMembers ? { num_members: conversation.members.size } : {}),
  };
}

export function renderFile(workspace: Workspace, file: EmulatedFile, baseUrl: string): Record<string, unknown> {
  const filesPri = `${baseUrl}files-pri/${workspace.team.id}-${file.id}`;
  const privateUrl = `${filesPri}/${encodeURIComponent(file.name)}`;
  return {
    id: file.id,
    created: file.created,
    timestamp: file.created,
    name: file.name,
    title: file.title,
    mimetype: file.mimetype,
    filetype: file.filetype,
    pretty_type: file.prettyType,
    user: file.user,
    user_team: workspace.team.id,
    editable: false,
    size: file.bytes.length,
    mode: 'hosted',
    is_external: false,
    external_type: '',
    is_public: file.channels.some((id) => workspace.conversations.get(id)?.kind === 'public'),
    public_url_shared: false,
    display_as_bot: false,
    username: '',
    url_private: privateUrl,
    // Slack's download link: files-pri/<team>-<file>/download/<name> (slack-captures message_file_share.json).
    url_private_download: `${filesPri}/download/${encodeURIComponent(file.name)}`,
    permalink: `https://${workspace.team.domain}.slack.com/files/${file.user}/${file.id}/${encodeURIComponent(file.name)}`,
    permalink_public: `https://slack-files.com/${workspace.team.id}-${file.id}-0000000000`,
    comments_count: 0,
    is_starred: false,
    channels: file.channels.filter((id) => workspace.conversations.get(id)?.kind === 'public'),
    groups: file.channels.filter((id) => workspace.conversations.get(id)?.kind === 'private'),
    ims: file.channels.filter((id) => workspace.conversations.get(id)?.kind === 'im'),
    has_rich_preview: false,
    file_access: 'visible',
    ...(file.altText ? { alt_txt: file.altText } : {}),
  };
}

export function renderMessage(workspace: Workspace, message: EmulatedMessage, baseUrl: string): Record<string, unknown> {
  const isRoot = message.threadTs === message.ts;
  const rendered: Record<string, unknown> = {
    ...(message.botId ? { bot_id: message.botId } : {}),
    type: 'message',
    ...(message.subtype ? { subtype: message.subtype } : {}),
    text: message.text,
    user: message.user,
    ts: message.ts,
    // Slack leaves `team` off file_share messages (slack-captures message_file_share*.json).
    ...(message.subtype === 'file_share' ? {} : { team: workspace.team.id }),
    ...(message.clientMsgId ? { client_msg_id: message.clientMsgId } : {}),
  };
  if (message.botId) {
    rendered.app_id = message.appId;
    // The bot user behind the bot id (Pulse, or another app's bot): its own name, as Slack shows it.
    const botUser = message.botId === workspace.bot.botId ? workspace.bot : workspace.users.get(message.user);
    rendered.bot_profile = {
      id: message.botId,
      deleted: false,
      name: botUser?.isBot ? botUser.realName : workspace.bot.realName,
      updated: workspace.nowSeconds(),
      app_id: message.appId,
      icons: { image_36: '', image_48: '', image_72: '' },
      team_id: workspace.team.id,
    };
  }
  if (message.blocks) rendered.blocks = message.blocks;
  if (message.threadTs !== undefined) {
    rendered.thread_ts = message.threadTs;
    if (isRoot) {
      rendered.reply_count = message.replyTs.length;
      rendered.reply_users_count = message.replyUsers.length;
      rendered.latest_reply = message.replyTs.at(-1) ?? message.ts;
      rendered.reply_users = [...message.replyUsers];
      rendered.is_locked = false;
      rendered.subscribed = false;
    } else {
      rendered.parent_user_id = message.parentUserId;
    }
  }
  if (message.edited) rendered.edited = { ...message.edited };
  if (message.reactions.length > 0) {
    rendered.reactions = message.reactions.map((reaction) => ({
      name: reaction.name,
      users: [...reaction.users],
      count: reaction.users.length,
    }));
  }
  if (message.fileIds.length > 0) {
    rendered.files = message.fileIds
      .map((id) => workspace.files.get(id))
      .filter((file): file is EmulatedFile => file !== undefined)
      .map((file) => renderFile(workspace, file, baseUrl));
    rendered.upload = !message.botId;
    rendered.display_as_bot = false;
  }
  if (message.metadata) rendered.metadata = message.metadata;
  return rendered;
}

export function renderView(workspace: Workspace, record: EmulatedView): Record<string, unknown> {
  const view = record.view;
  return {
    id: record.id,
    team_id: workspace.team.id,
    type: record.type,
    ...(view.title ? { title: view.title } : {}),
    // Slack answers null for a view without these buttons (slack-captures/PublishResp).
    submit: view.submit ?? null,
    close: view.close ?? null,
    blocks: view.blocks ?? [],
    private_metadata: typeof view.private_metadata === 'string' ? view.private_metadata : '',
    callback_id: typeof view.callback_id === 'string' ? view.callback_id : '',
    state: { values: record.state },
    hash: record.hash,
    clear_on_close: view.clear_on_close === true,
    notify_on_close: view.notify_on_close === true,
    root_view_id: record.rootViewId,
    previous_view_id: record.previousViewId,
    app_id: workspace.team.appId,
    external_id: record.externalId,
    app_installed_team_id: workspace.team.id,
    bot_id: workspace.bot.botId,
  };
}
