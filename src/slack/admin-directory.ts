/**
 * Who is a Pulse admin: Slack admins and owners (users.info, cached), plus
 * ADMIN_USER_IDS. Every admin action is checked here on the server, whatever
 * the view showed.
 */
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger.ts';
import type { UserDirectory } from './user-directory.ts';

/** The admin list shown to everyone is refreshed this often (users.list is a Tier 2 method). */
const ADMIN_LIST_TTL_MS = 10 * 60 * 1000;
/** users.list pages; Slack recommends ≤ 200. */
const USERS_PAGE_SIZE = 200;
/** Bound on pages read for the admin list (100,000 people). */
const MAX_USER_PAGES = 500;

export class AdminDirectory {
  private listed: { ids: string[]; at: number } | undefined;
  /** One users.list walk at a time, shared by every Home tab opened meanwhile. */
  private refreshing: Promise<string[]> | undefined;

  constructor(
    private readonly client: WebClient,
    private readonly users: UserDirectory,
    private readonly configuredAdmins: readonly string[],
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async isAdmin(userId: string): Promise<boolean> {
    if (this.configuredAdmins.includes(userId)) return true;
    const user = await this.users.lookup(userId);
    return user.isAdmin && !user.isBot;
  }

  /** Everyone who can change Pulse's settings, for the notice non-admins see. */
  async listAdmins(): Promise<string[]> {
    if (this.listed && this.now() - this.listed.at < ADMIN_LIST_TTL_MS) return this.listed.ids;
    this.refreshing ??= this.fetchAdmins().finally(() => {
      this.refreshing = undefined;
    });
    // A stale list is shown at once while it is refreshed; only the very first open waits.
    return this.listed ? this.listed.ids : this.refreshing;
  }

  private async fetchAdmins(): Promise<string[]> {
    const ids = new Set(this.configuredAdmins);
    try {
      let cursor: string | undefined;
      for (let page = 0; page < MAX_USER_PAGES; page += 1) {
        const response = await this.client.users.list({ limit: USERS_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
        for (const member of response.members ?? []) {
          if (member.id && !member.deleted && !member.is_bot && (member.is_admin || member.is_owner || member.is_primary_owner)) {
            ids.add(member.id);
          }
        }
        cursor = response.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
    } catch (error) {
      this.logger.warn('could not list the workspace admins:', error);
    }
    this.listed = { ids: [...ids].sort(), at: this.now() };
    return this.listed.ids;
  }
}
