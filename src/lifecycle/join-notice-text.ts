/**
 * The notice Pulse posts when it joins a channel (pure): what it reads there,
 * who sees the figures and how to remove it, from the workspace's actual
 * analytics settings, so it never promises less than is set. Slack mrkdwn.
 */
import type { AnalyticsSettings } from '../analytics/analytics-settings.ts';
import type { JoinNoticeReason } from '../db/workspace-lifecycle-store.ts';

const METADATA = 'who posted, when, in which thread, reactions, mentions and links';

export function describeJoinNotice(settings: AnalyticsSettings, reason: JoinNoticeReason): string {
  const arrival =
    reason === 'auto_joined'
      ? 'I joined this channel because its name matches the analytics pattern an admin set.'
      : 'I was added to this channel.';
  const kept = settings.storeText
    ? `message metadata (${METADATA}) *and the text of messages*, because an admin turned on message text storage`
    : `message metadata (${METADATA}), *not what you write*`;
  const reads = settings.enabled
    ? `I keep ${kept}.`
    : `Analytics is paused in this workspace, so I keep nothing from here for now; if an admin resumes it, I will keep ${kept}.`;
  const pseudonyms = settings.pseudonymize ? ' People are stored as pseudonyms, not as Slack ids.' : '';
  const people =
    settings.personFiguresFor === 'everyone'
      ? 'Per-person figures are visible to everyone who can see this channel’s figures (an admin widened this).'
      : 'Per-person figures are for Pulse admins only.';
  return [
    `:wave: Hi, I’m Pulse, this workspace’s AI analyst. ${arrival}`,
    `*What I read here:* ${reads}${pseudonyms} When someone mentions me, I read the recent messages of that thread to answer, without storing them.`,
    `*Who sees figures:* members of this channel can ask me for its figures. ${people}`,
    '*To remove me:* type `/remove @Pulse` in this channel, or ask an admin, who can disconnect Pulse from the workspace in its App Home.',
  ].join('\n');
}
