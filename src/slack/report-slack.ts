/**
 * Reports' Slack side: finding the destination a person names, checking that
 * Pulse and the owner are both there, posting proposals and reports (files in
 * the report's thread), and the owner's failure DM.
 */
import type { WebClient } from '@slack/web-api';
import { UserFacingError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ReportContent } from '../reports/report-content.ts';
import type { ReportDelivery } from '../reports/report-executor.ts';
import { nextRunAfter } from '../reports/report-schedule.ts';
import type { ReportSlackPort } from '../reports/report-service.ts';
import type { ReportDestination } from '../reports/report-types.ts';
import { convertMarkdownToMrkdwn } from './reply/markdown-to-mrkdwn.ts';
import { slackErrorCode, toUserFacingSlackError } from './slack-errors.ts';
import { buildFailureNotice, buildProposalMessage, buildReportMessage, describeDestinationPlainly, describeSchedule } from './views/report-blocks.ts';

/** Channels per conversations.list page: Slack wants fewer than 1,000, and recommends no more than 200. */
const CHANNEL_LIST_PAGE_SIZE = 200;
/** Pages of conversations.list read to find a channel by name (20,000 channels). */
const MAX_CHANNEL_LIST_PAGES = 100;
/** People in a group DM besides Pulse: Slack's limit for a multi-person DM is 9 members. */
const MAX_GROUP_DM_PEOPLE = 8;
/** Next runs listed on a proposal. */
const PROPOSAL_RUNS = 3;

export interface ReportSlackOptions {
  client: WebClient;
  logger: Logger;
  isAdmin: (userId: string) => Promise<boolean>;
  /** Channels a person is a member of (analytics access, cached). */
  memberChannelIds: (teamId: string, userId: string) => Promise<ReadonlySet<string>>;
  botUserId: string;
}

const SELF_WORDS = new Set(['me', 'dm', 'my dm', 'a dm', 'my dms', 'direct message', 'my direct messages', 'to me', 'privately']);

export function createReportSlack(options: ReportSlackOptions): { port: ReportSlackPort; delivery: ReportDelivery } {
  const { client } = options;

  async function findChannelByName(name: string): Promise<string | undefined> {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_CHANNEL_LIST_PAGES; page += 1) {
      const response = await client.conversations.list({
        types: 'public_channel,private_channel',
        exclude_archived: true,
        limit: CHANNEL_LIST_PAGE_SIZE,
        ...(cursor ? { cursor } : {}),
      });
      const found = response.channels?.find((channel) => channel.name?.toLowerCase() === name);
      if (found?.id) return found.id;
      cursor = response.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  }

  async function openConversation(destination: ReportDestination): Promise<string> {
    if (destination.kind === 'channel') return destination.channelId;
    const users = destination.kind === 'dm' ? [destination.userId] : destination.userIds;
    const opened = await client.conversations.open({ users: users.join(',') });
    if (!opened.channel?.id) throw new UserFacingError('report_destination', 'Slack did not open the conversation for this report.');
    return opened.channel.id;
  }

  const describeDestination = describeDestinationPlainly;

  const port: ReportSlackPort = {
    describeDestination,
    isAdmin: (_teamId, userId) => options.isAdmin(userId),

    async resolveDestination(_teamId, askerId, text) {
      const trimmed = text.trim();
      if (SELF_WORDS.has(trimmed.toLowerCase())) return { kind: 'dm', userId: askerId };
      const people = [...trimmed.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|\b([UW][A-Z0-9]{6,})\b/g)].map((match) => (match[1] ?? match[2]) as string);
      if (people.length > 0) {
        const everyone = [...new Set([askerId, ...people])];
        if (everyone.length === 1) return { kind: 'dm', userId: askerId };
        if (everyone.length > MAX_GROUP_DM_PEOPLE) return { problem: `A group DM holds at most ${MAX_GROUP_DM_PEOPLE} people besides me; post to a channel instead.` };
        return { kind: 'group_dm', userIds: everyone };
      }
      const channelMention = /<#([CG][A-Z0-9]+)(?:\|[^>]*)?>/.exec(trimmed)?.[1] ?? /^([CG][A-Z0-9]{6,})$/.exec(trimmed)?.[1];
      if (channelMention) return { kind: 'channel', channelId: channelMention };
      const name = trimmed.replace(/^#/, '').toLowerCase();
      if (!/^[a-z0-9][a-z0-9._-]{0,79}$/.test(name)) {
        return { problem: `I could not tell where "${trimmed}" is. Name a channel (#eng-leads), "me" for your DM, or the people for a group DM (@alice @bob).` };
      }
      const channelId = await findChannelByName(name);
      return channelId
        ? { kind: 'channel', channelId }
        : { problem: `I can't find #${name}. Check the name; if it is private, invite me there first with \`/invite @Pulse\`.` };
    },

    async destinationOfConversation(_teamId, userId, conversationId) {
      let channel;
      try {
        channel = (await client.conversations.info({ channel: conversationId })).channel;
      } catch (error) {
        const code = slackErrorCode(error);
        if (code === 'channel_not_found' || code === 'not_in_channel') {
          return { problem: 'I can’t post there: pick a channel I’m in, your DM with me, or a group DM that includes me.' };
        }
        throw toUserFacingSlackError(error);
      }
      if (channel?.is_im) {
        // An IM's `user` is the person on the other side of Pulse's DM.
        return (channel as { user?: string }).user === userId ? { kind: 'dm', userId } : { problem: 'I can only post a report in your own DM with me.' };
      }
      if (channel?.is_mpim) {
        const members = await client.conversations.members({ channel: conversationId });
        return { kind: 'group_dm', userIds: (members.members ?? []).filter((id) => id !== options.botUserId) };
      }
      return { kind: 'channel', channelId: conversationId };
    },

    async destinationProblem(teamId, ownerId, destination) {
      if (destination.kind === 'dm') return destination.userId === ownerId ? undefined : 'A report can go to its owner’s DM only.';
      if (destination.kind === 'group_dm') {
        return destination.userIds.includes(ownerId) ? undefined : 'A group DM report must include its owner.';
      }
      const channel = `<#${destination.channelId}>`;
      let info;
      try {
        info = (await client.conversations.info({ channel: destination.channelId })).channel;
      } catch (error) {
        if (slackErrorCode(error) === 'channel_not_found') {
          return `I can't see ${channel}: it was deleted, or it is private and I'm not in it. Invite me with \`/invite @Pulse\` there.`;
        }
        throw toUserFacingSlackError(error);
      }
      if (info?.is_archived) return `${channel} is archived, so I can't post the report there. Pick another channel.`;
      if (!info?.is_member) return `I'm not in ${channel}. Invite me with \`/invite @Pulse\` in that channel, then try again.`;
      const member = await options.memberChannelIds(teamId, ownerId);
      if (!member.has(destination.channelId)) return `<@${ownerId}> is not a member of ${channel}: a report is posted only where its owner can see the data.`;
      return undefined;
    },

    async postProposal(where, proposal) {
      const nextRuns: number[] = [];
      let after = proposal.createdAt;
      for (let index = 0; index < PROPOSAL_RUNS; index += 1) {
        const next = nextRunAfter(proposal.schedule, after);
        if (next === null) break;
        nextRuns.push(next);
        after = next;
      }
      const message = buildProposalMessage(proposal, {
        destination: describeDestination(proposal.destination),
        schedule: describeSchedule(proposal.schedule),
        nextRuns,
      });
      await client.chat.postMessage({ channel: where.channelId, thread_ts: where.threadTs, ...message });
    },
  };

  /**
   * The report's files, in its thread. The report is already posted: a file that cannot be attached is
   * said in the thread rather than failing the run, whose retry would post the report again.
   */
  async function attachFiles(channelId: string, threadTs: string, files: ReportContent['files']): Promise<void> {
    const missing: string[] = [];
    for (const file of files) {
      try {
        await client.filesUploadV2({
          channel_id: channelId,
          thread_ts: threadTs,
          file: file.bytes,
          filename: file.filename,
          title: file.title,
          ...(file.altText ? { alt_text: file.altText } : {}),
        });
      } catch (error) {
        options.logger.warn(`report file ${file.filename} could not be uploaded:`, error);
        missing.push(file.filename);
      }
    }
    if (missing.length > 0) {
      await client.chat
        .postMessage({ channel: channelId, thread_ts: threadTs, text: `I couldn't attach ${missing.join(', ')} to this report; Slack refused the upload. Re-run the report to try again.` })
        .catch((error: unknown) => options.logger.warn('could not say that report files are missing:', error));
    }
  }

  const delivery: ReportDelivery = {
    async deliver(report, content, context) {
      try {
        const channelId = await openConversation(report.destination);
        const message = buildReportMessage({ report, text: convertMarkdownToMrkdwn(content.markdown), timeZone: report.schedule.timeZone, ...context });
        const posted = await client.chat.postMessage({ channel: channelId, ...message, unfurl_links: false });
        const messageTs = posted.ts as string;
        await attachFiles(channelId, messageTs, content.files);
        return { channelId, messageTs };
      } catch (error) {
        if (error instanceof UserFacingError) throw error;
        const code = slackErrorCode(error);
        if (code === 'not_in_channel' || code === 'channel_not_found' || code === 'is_archived') {
          throw new UserFacingError('report_destination', `I couldn't post in ${describeDestination(report.destination)} (Slack said ${code}). Invite me with \`/invite @Pulse\` there, or pick another destination.`, { cause: error });
        }
        throw toUserFacingSlackError(error);
      }
    },

    async notifyFailure(report, problem, retryAt) {
      const opened = await client.conversations.open({ users: report.ownerId });
      if (!opened.channel?.id) return;
      await client.chat.postMessage({ channel: opened.channel.id, text: buildFailureNotice(report, problem, retryAt) });
    },
  };

  return { port, delivery };
}
