/**
 * Names for user ids through users.info, cached per TTL so a context of 20
 * messages costs at most one lookup per person, not one per message.
 */
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.ts';
import { USER_DIRECTORY_MAX_ENTRIES, USER_DIRECTORY_TTL_MS } from './limits.ts';

export interface DirectoryUser {
  id: string;
  name: string;
  isBot: boolean;
  isAdmin: boolean;
  timeZone: string | undefined;
}

interface Entry {
  user: DirectoryUser;
  expiresAt: number;
}

export class UserDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<DirectoryUser>>();

  constructor(
    private readonly client: WebClient,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async lookup(userId: string): Promise<DirectoryUser> {
    const cached = this.entries.get(userId);
    if (cached && cached.expiresAt > this.now()) return cached.user;
    const pending = this.inFlight.get(userId);
    if (pending) return pending;
    const request = this.fetch(userId).finally(() => this.inFlight.delete(userId));
    this.inFlight.set(userId, request);
    return request;
  }

  async lookupMany(userIds: Iterable<string>): Promise<Map<string, DirectoryUser>> {
    const unique = [...new Set(userIds)];
    const users = await Promise.all(unique.map((id) => this.lookup(id)));
    return new Map(users.map((user) => [user.id, user]));
  }

  private async fetch(userId: string): Promise<DirectoryUser> {
    try {
      const response = await this.client.users.info({ user: userId });
      const user = response.user;
      const entry: DirectoryUser = {
        id: userId,
        name: user?.profile?.display_name || user?.real_name || user?.name || userId,
        isBot: user?.is_bot === true,
        isAdmin: user?.is_admin === true || user?.is_owner === true || user?.is_primary_owner === true,
        timeZone: user?.tz,
      };
      if (this.entries.size >= USER_DIRECTORY_MAX_ENTRIES) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      this.entries.set(userId, { user: entry, expiresAt: this.now() + USER_DIRECTORY_TTL_MS });
      return entry;
    } catch (error) {
      // An unknown or unreadable user still gets a stable label; not cached, so it is retried later.
      this.logger.warn(`users.info failed for ${userId}:`, error);
      return { id: userId, name: userId, isBot: false, isAdmin: false, timeZone: undefined };
    }
  }
}
