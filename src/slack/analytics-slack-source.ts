/**
 * The Slack side of the analytics sync: conversations.list / join / history /
 * replies with the bot token. Its own WebClient rejects rate-limited calls so
 * the sync can wait out every Retry-After itself (the SDK would spend one of
 * its few retries per 429); each read method is paced to its rate tier.
 */
import { WebClient, type ConversationsHistoryResponse, type ConversationsListResponse } from '@slack/web-api';
import { SlackCallError, type AnalyticsSlackSource, type ChannelListing, type MessagePage } from '../analytics/channel-sync.ts';
import type { Logger } from '../logger.ts';
import { createBoltLogger } from './bolt-logger.ts';
import { CallPacer, sleep } from './call-pacer.ts';
import { SLACK_CALL_TIMEOUT_MS } from './limits.ts';
import { slackErrorCode } from './slack-errors.ts';

/** History pages: Slack allows up to 999 but recommends ≤ 200 per page. */
export const HISTORY_PAGE_SIZE = 200;
/** conversations.list pages (Slack: fewer than 1,000). */
export const CHANNEL_LIST_PAGE_SIZE = 500;
/** conversations.list is Tier 2 (20+ a minute). */
const LIST_CALLS_PER_MINUTE = 20;
/** A sync gives up on a call after waiting this long in total for rate limits to lift; the next sync resumes. */
export const MAX_RATE_LIMIT_WAIT_MS = 15 * 60_000;
/** Network or 5xx failures of one call are retried this many times (with backoff) before the channel fails. */
const TRANSIENT_RETRIES = 4;
/** Slack listings bound how many channel pages are read (500 × 400 = 200,000 channels). */
const MAX_LIST_PAGES = 400;

export interface AnalyticsSlackSourceOptions {
  token: string;
  slackApiUrl: string;
  callsPerMinute: number;
  logger: Logger;
}

export function createAnalyticsSlackSource(options: AnalyticsSlackSourceOptions): AnalyticsSlackSource {
  const client = new WebClient(options.token, {
    slackApiUrl: options.slackApiUrl,
    timeout: SLACK_CALL_TIMEOUT_MS,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logger: createBoltLogger(options.logger),
  });
  const history = CallPacer.perMinute(options.callsPerMinute);
  const replies = CallPacer.perMinute(options.callsPerMinute);
  const listing = CallPacer.perMinute(LIST_CALLS_PER_MINUTE);

  async function call<T>(method: string, pacer: CallPacer | undefined, run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    let waitedMs = 0;
    let failures = 0;
    for (;;) {
      await pacer?.take(signal);
      try {
        return await run();
      } catch (error) {
        const code = slackErrorCode(error);
        if (code) throw new SlackCallError(code, { cause: error });
        const retryAfterSeconds = (error as { retryAfter?: number }).retryAfter;
        if ((error as { code?: string }).code === 'slack_webapi_rate_limited_error' && typeof retryAfterSeconds === 'number') {
          const waitMs = Math.max(retryAfterSeconds, 1) * 1000;
          waitedMs += waitMs;
          if (waitedMs > MAX_RATE_LIMIT_WAIT_MS) throw error;
          options.logger.info(`analytics sync: ${method} is rate-limited; waiting ${retryAfterSeconds} s`);
          await sleep(waitMs, signal);
          continue;
        }
        failures += 1;
        if (failures > TRANSIENT_RETRIES) throw error;
        await sleep(Math.min(500 * 2 ** failures, 10_000), signal);
      }
    }
  }

  const toPage = (response: ConversationsHistoryResponse): MessagePage => ({
    messages: (response.messages ?? []) as MessagePage['messages'],
    nextCursor: response.has_more ? response.response_metadata?.next_cursor || undefined : undefined,
  });

  return {
    async listChannels(signal) {
      const channels: ChannelListing[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_LIST_PAGES; page += 1) {
        const response: ConversationsListResponse = await call(
          'conversations.list',
          listing,
          () =>
            client.conversations.list({
              types: 'public_channel,private_channel',
              exclude_archived: false,
              limit: CHANNEL_LIST_PAGE_SIZE,
              ...(cursor ? { cursor } : {}),
            }),
          signal,
        );
        for (const channel of response.channels ?? []) {
          // DMs and group DMs are never analysed, whatever a listing returns.
          if (!channel.id || !channel.name || channel.is_im || channel.is_mpim) continue;
          channels.push({
            id: channel.id,
            name: channel.name,
            isPrivate: Boolean(channel.is_private),
            isArchived: Boolean(channel.is_archived),
            isMember: Boolean(channel.is_member),
          });
        }
        cursor = response.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
      return channels;
    },

    async joinChannel(channelId) {
      await call('conversations.join', undefined, () => client.conversations.join({ channel: channelId }));
    },

    async history(channelId, range, signal) {
      const response = await call(
        'conversations.history',
        history,
        () =>
          client.conversations.history({
            channel: channelId,
            oldest: range.oldest,
            latest: range.latest,
            inclusive: true,
            limit: HISTORY_PAGE_SIZE,
            ...(range.cursor ? { cursor: range.cursor } : {}),
          }),
        signal,
      );
      return toPage(response);
    },

    async replies(channelId, threadTs, cursor, signal) {
      try {
        const response = await call(
          'conversations.replies',
          replies,
          () => client.conversations.replies({ channel: channelId, ts: threadTs, limit: HISTORY_PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
          signal,
        );
        return toPage(response);
      } catch (error) {
        // The root was deleted since it was listed: nothing left to read.
        if (error instanceof SlackCallError && error.slackError === 'thread_not_found') return { messages: [], nextCursor: undefined };
        throw error;
      }
    },
  };
}
