/**
 * Builds Events API and interactive payloads exactly as Slack sends them
 * (see ../shared/fixtures/slack-captures/SlackWebhookEvent).
 */
import { createSlackId } from './ids.ts';
import { renderMessage } from './slack-json.ts';
import type { ConversationKind, EmulatedMessage } from './types.ts';
import type { Workspace, WorkspaceChange } from './workspace.ts';

/** Slack's `channel_type` per conversation kind. */
const CHANNEL_TYPE: Record<ConversationKind, string> = { public: 'channel', private: 'group', im: 'im', mpim: 'mpim' };
/** The message.* subscription that delivers each kind. */
const MESSAGE_SUBSCRIPTION: Record<ConversationKind, string> = {
  public: 'message.channels',
  private: 'message.groups',
  im: 'message.im',
  mpim: 'message.mpim',
};

export function wrapEvent(workspace: Workspace, event: Record<string, unknown>): Record<string, unknown> {
  return {
    token: 'emulated-verification-token',
    team_id: workspace.team.id,
    api_app_id: workspace.team.appId,
    event,
    type: 'event_callback',
    event_id: createSlackId('Ev', 10),
    event_time: workspace.nowSeconds(),
    authorizations: [
      { enterprise_id: null, team_id: workspace.team.id, user_id: workspace.bot.id, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    // Slack omits event_context on app_home_opened (slack-captures app_home_opened_*.json).
    ...(event.type === 'app_home_opened' ? {} : { event_context: eventContext(workspace, event) }),
  };
}

/** Slack's event_context: "4-" + base64 JSON of event type, team, app and channel. */
function eventContext(workspace: Workspace, event: Record<string, unknown>): string {
  const item = event.item as { channel?: unknown } | undefined;
  const channel = typeof event.channel === 'string' ? event.channel : item?.channel;
  const context = { et: event.type, tid: workspace.team.id, aid: workspace.team.appId, ...(typeof channel === 'string' ? { cid: channel } : {}) };
  return `4-${Buffer.from(JSON.stringify(context)).toString('base64url')}`;
}

/** A user's plain text as the rich_text block Slack clients attach. */
export function richTextBlocks(text: string): unknown[] {
  return [
    {
      type: 'rich_text',
      block_id: createSlackId('', 3),
      elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
    },
  ];
}

function messageEvent(workspace: Workspace, message: EmulatedMessage, baseUrl: string): Record<string, unknown> {
  const rendered = renderMessage(workspace, message, baseUrl);
  // Events carry the message as posted: no reply counters, plus channel and event_ts.
  for (const key of ['reply_count', 'reply_users_count', 'latest_reply', 'reply_users', 'is_locked', 'subscribed', 'reactions']) {
    delete rendered[key];
  }
  if (message.threadTs === message.ts) delete rendered.thread_ts;
  // Files in events do not list where they are shared (events sample MessageFileSharePayload, capture message_file_share.json).
  if (Array.isArray(rendered.files)) {
    rendered.files = rendered.files.map((file: Record<string, unknown>) => {
      const { channels: _channels, groups: _groups, ims: _ims, ...rest } = file;
      return rest;
    });
  }
  const kind = workspace.requireConversation(message.channel).kind;
  return { ...rendered, channel: message.channel, event_ts: message.ts, channel_type: CHANNEL_TYPE[kind] };
}

export interface PendingEvent {
  subscription: string;
  event: Record<string, unknown>;
}

/** The events Slack would deliver to the app for one workspace change. */
export function eventsForChange(workspace: Workspace, change: WorkspaceChange, baseUrl: string): PendingEvent[] {
  const botId = workspace.bot.id;
  if (change.kind === 'member_joined_channel') {
    if (!change.channel.members.has(botId)) return [];
    return [
      {
        subscription: 'member_joined_channel',
        event: {
          type: 'member_joined_channel',
          user: change.user,
          channel: change.channel.id,
          channel_type: change.channel.kind === 'public' ? 'C' : 'G',
          team: workspace.team.id,
          ...(change.inviter ? { inviter: change.inviter } : {}),
          event_ts: workspace.nextTs(),
        },
      },
    ];
  }
  const conversation = workspace.requireConversation(change.message.channel);
  if (!conversation.members.has(botId)) return [];
  const subscription = MESSAGE_SUBSCRIPTION[conversation.kind];
  const channelType = CHANNEL_TYPE[conversation.kind];
  switch (change.kind) {
    case 'message_posted': {
      const events: PendingEvent[] = [{ subscription, event: messageEvent(workspace, change.message, baseUrl) }];
      const mentionsBot = change.message.text.includes(`<@${botId}>`);
      if (mentionsBot && conversation.kind !== 'im' && change.message.user !== botId) {
        const { channel_type: _channelType, ...fields } = messageEvent(workspace, change.message, baseUrl);
        events.unshift({ subscription: 'app_mention', event: { ...fields, type: 'app_mention' } });
      }
      return events;
    }
    case 'message_changed': {
      const eventTs = workspace.nextTs();
      return [
        {
          subscription,
          event: {
            type: 'message',
            subtype: 'message_changed',
            message: { ...renderMessage(workspace, change.message, baseUrl) },
            previous_message: renderMessage(workspace, change.previous, baseUrl),
            channel: conversation.id,
            hidden: true,
            ts: eventTs,
            event_ts: eventTs,
            channel_type: channelType,
          },
        },
      ];
    }
    case 'message_deleted': {
      const eventTs = workspace.nextTs();
      return [
        {
          subscription,
          event: {
            type: 'message',
            subtype: 'message_deleted',
            hidden: true,
            deleted_ts: change.message.ts,
            channel: conversation.id,
            previous_message: renderMessage(workspace, change.message, baseUrl),
            ts: eventTs,
            event_ts: eventTs,
            channel_type: channelType,
          },
        },
      ];
    }
    case 'reaction_added':
    case 'reaction_removed':
      return [
        {
          subscription: change.kind,
          event: {
            type: change.kind,
            user: change.user,
            reaction: change.reaction,
            item: { type: 'message', channel: conversation.id, ts: change.message.ts },
            item_user: change.message.user,
            event_ts: workspace.nextTs(),
          },
        },
      ];
  }
}
