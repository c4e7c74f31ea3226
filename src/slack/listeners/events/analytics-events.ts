/**
 * Channel activity for analytics: messages (new, edited, deleted), reactions,
 * Pulse joining a channel, channels archived or renamed. Each is handed to
 * AnalyticsLiveEvents, which ignores channels Pulse does not sync. Pulse
 * joining a channel also posts its transparency notice there (once).
 */
import type { App } from '@slack/bolt';
import type { ChannelMessageEvent, ReactionEvent } from '../../../analytics/live-events.ts';
import type { ListenerDependencies } from '../index.ts';

export function register(app: App, deps: ListenerDependencies) {
  app.event('message', async ({ event }) => {
    deps.analytics.onMessage(deps.teamId, event as unknown as ChannelMessageEvent);
  });
  app.event('reaction_added', async ({ event }) => {
    deps.analytics.onReaction(deps.teamId, event as ReactionEvent, true);
  });
  app.event('reaction_removed', async ({ event }) => {
    deps.analytics.onReaction(deps.teamId, event as ReactionEvent, false);
  });
  app.event('member_joined_channel', async ({ event }) => {
    const teamId = deps.teamId;
    deps.analytics.onMemberJoined(teamId, event, deps.botUserId);
    if (event.user !== deps.botUserId) return;
    // Someone who adds Pulse is the inviter; Pulse joins on its own only by the analytics auto-join, which
    // announces the same join from the sync too (whichever records it first posts the one notice).
    const reason = (event as { inviter?: string }).inviter ? 'invited' : 'auto_joined';
    await deps.joinNotices.announce(teamId, { id: event.channel, type: event.channel_type }, reason);
  });
  app.event('channel_archive', async ({ event }) => {
    deps.analytics.onChannelArchived(deps.teamId, event.channel, true);
  });
  app.event('channel_rename', async ({ event }) => {
    deps.analytics.onChannelRenamed(deps.teamId, event.channel.id, event.channel.name);
  });
}
