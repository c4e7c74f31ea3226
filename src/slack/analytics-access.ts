/**
 * What the analytics tools need to know from Slack about the asker and the
 * people they name: admin status, channel memberships (users.conversations),
 * names (users.info, cached) and a searchable people list (users.list, cached).
 */
import type { WebClient } from '@slack/web-api';
import type { MetricsExportSlack } from '../analytics/metrics-export.ts';
import type { AnalyticsAccess } from '../analytics/workspace-metrics.ts';
import type { AdminDirectory } from './admin-directory.ts';
import type { UserDirectory } from './user-directory.ts';
import { toUserFacingSlackError } from './slack-errors.ts';

/** Memberships are re-read after this long: someone who just left a channel stops seeing its figures soon after. */
export const MEMBERSHIP_TTL_MS = 5 * 60_000;
/** The people list for find_person is re-read after this long (new hires appear within it). */
export const PEOPLE_LIST_TTL_MS = 60 * 60_000;
/** users.conversations / users.list pages (Slack allows up to 1,000). */
const PAGE_SIZE = 999;
/** Bounds the pages read for one list (999 × 100 ≈ 100,000 entries). */
const MAX_PAGES = 100;
/** find_person returns at most this many matches. */
export const MAX_PEOPLE_MATCHES = 10;

interface Person {
  id: string;
  names: string[];
  label: string;
  title: string | undefined;
}

export interface AnalyticsAccessOptions {
  client: WebClient;
  admins: AdminDirectory;
  directory: UserDirectory;
  /** The workspace's Slack domain (permalinks are https://<domain>.slack.com/archives/…). */
  domain: string | undefined;
  now?: () => number;
}

/** A cursor-paginated Slack list, page by page (at most MAX_PAGES); `take` returns false to stop early. */
async function walkPages<Page extends { response_metadata?: { next_cursor?: string } }>(
  fetchPage: (cursor: string | undefined) => Promise<Page>,
  take: (page: Page) => boolean | void,
): Promise<void> {
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const response = await fetchPage(cursor);
    if (take(response) === false) return;
    cursor = response.response_metadata?.next_cursor || undefined;
    if (!cursor) return;
  }
}

type SlackMember = NonNullable<Awaited<ReturnType<WebClient['users']['list']>>['members']>[number];

/** The name Slack shows for a member. */
const shownName = (member: SlackMember & { id: string }) => member.real_name || member.profile?.display_name || member.name || member.id;

const listUsers = (client: WebClient) => (cursor: string | undefined) => client.users.list({ limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });

export function createAnalyticsAccess(options: AnalyticsAccessOptions): AnalyticsAccess {
  const now = options.now ?? Date.now;
  const memberships = new Map<string, { channels: Promise<ReadonlySet<string>>; expiresAt: number }>();
  let people: { list: Promise<Person[]>; expiresAt: number } | undefined;

  async function readMemberships(userId: string): Promise<ReadonlySet<string>> {
    const channels = new Set<string>();
    await walkPages(
      (cursor) =>
        options.client.users.conversations({
          user: userId,
          types: 'public_channel,private_channel',
          exclude_archived: false,
          limit: PAGE_SIZE,
          ...(cursor ? { cursor } : {}),
        }),
      (response) => {
        for (const channel of response.channels ?? []) if (channel.id) channels.add(channel.id);
      },
    );
    return channels;
  }

  async function readPeople(): Promise<Person[]> {
    const list: Person[] = [];
    await walkPages(listUsers(options.client), (response) => {
      for (const member of response.members ?? []) {
        const id = member.id;
        if (!id || member.deleted || member.is_bot || id === 'USLACKBOT') continue;
        const names = [member.name, member.real_name, member.profile?.display_name, member.profile?.email?.split('@')[0]]
          .filter((name): name is string => Boolean(name))
          .map((name) => name.toLowerCase());
        list.push({ id, names, label: shownName({ ...member, id }), title: member.profile?.title || undefined });
      }
    });
    return list;
  }

  return {
    isAdmin: (_teamId, userId) => options.admins.isAdmin(userId),

    memberChannelIds(_teamId, userId) {
      const cached = memberships.get(userId);
      if (cached && cached.expiresAt > now()) return cached.channels;
      const channels = readMemberships(userId);
      memberships.set(userId, { channels, expiresAt: now() + MEMBERSHIP_TTL_MS });
      channels.catch(() => memberships.delete(userId));
      return channels;
    },

    async describePeople(_teamId, userIds) {
      const users = await options.directory.lookupMany(userIds);
      return new Map([...users].map(([id, user]) => [id, user.name]));
    },

    async searchPeople(_teamId, query) {
      if (!people || people.expiresAt <= now()) {
        const list = readPeople();
        people = { list, expiresAt: now() + PEOPLE_LIST_TTL_MS };
        list.catch(() => {
          people = undefined;
        });
      }
      const needle = query.trim().replace(/^@/, '').toLowerCase();
      const everyone = await people.list;
      const exact = everyone.filter((person) => person.id.toLowerCase() === needle || person.names.includes(needle));
      const partial = everyone.filter((person) => !exact.includes(person) && person.names.some((name) => name.includes(needle)));
      return [...exact, ...partial].slice(0, MAX_PEOPLE_MATCHES).map((person) => ({
        id: person.id,
        name: person.label,
        ...(person.title ? { title: person.title } : {}),
      }));
    },

    permalink(_teamId, channelId, ts) {
      return `https://${options.domain ?? 'app'}.slack.com/archives/${channelId}/p${ts.replace('.', '')}`;
    },
  };
}

/**
 * The Slack side of metrics exports: names and profile emails from users.list
 * (people who left included, their figures still count), and delivery of the
 * CSVs into the admin's DM with Pulse through files.uploadV2.
 */
export function createMetricsExportSlack(options: { client: WebClient }): MetricsExportSlack {
  const { client } = options;
  return {
    async lookupPeople(_teamId, userIds) {
      const wanted = new Set(userIds);
      const found = new Map<string, { name: string; email: string | undefined }>();
      if (wanted.size === 0) return found;
      await walkPages(listUsers(client), (response) => {
        for (const member of response.members ?? []) {
          const id = member.id;
          if (!id || !wanted.has(id)) continue;
          // profile.email is only there with users:read.email (manifest.json grants it); without it the column stays blank.
          found.set(id, { name: shownName({ ...member, id }), email: member.profile?.email || undefined });
        }
        return found.size < wanted.size;
      });
      return found;
    },

    async sendToDm(_teamId, userId, message) {
      try {
        const opened = await client.conversations.open({ users: userId });
        const channelId = opened.channel?.id;
        if (!channelId) throw new Error('conversations.open returned no channel');
        await client.filesUploadV2({
          channel_id: channelId,
          initial_comment: message.text,
          file_uploads: message.files.map((file) => ({ file: file.bytes, filename: file.filename, title: file.title })),
        });
      } catch (error) {
        throw toUserFacingSlackError(error);
      }
    },
  };
}
