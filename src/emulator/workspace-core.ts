/**
 * The base of the emulated workspace: the record maps every part reads and
 * writes, the team and its bot user, the message ts clock, change
 * announcements (and `silently` for history), and the workspace's people.
 * Conversations and messages build on it (workspace-conversations.ts,
 * workspace.ts).
 */
import { createIdSource, createTsClock, type IdSource } from './ids.ts';
import { SlackError } from './slack-error.ts';
import type {
  EmulatedConversation,
  EmulatedFile,
  EmulatedMessage,
  EmulatedUser,
  EmulatedView,
  NewUser,
  TeamInfo,
  WorkspaceChange,
} from './types.ts';
import { microsToTs, tsToMicros } from './workspace-timestamps.ts';

export class WorkspaceCore {
  readonly team: TeamInfo;
  readonly users = new Map<string, EmulatedUser>();
  readonly conversations = new Map<string, EmulatedConversation>();
  /** Messages per conversation, kept in ts order (roots and replies together). */
  readonly messages = new Map<string, EmulatedMessage[]>();
  readonly files = new Map<string, EmulatedFile>();
  readonly views = new Map<string, EmulatedView>();
  readonly homeViews = new Map<string, string>();
  readonly nextTs: () => string;
  /** The newest ts handed out or imported, in microseconds. */
  protected lastIssuedMicros = 0;
  readonly bot: EmulatedUser & { botId: string; appId: string };
  private readonly listeners: ((change: WorkspaceChange) => void)[] = [];
  readonly now: () => number;
  /** Makes the ids of lasting things (seeded for stable ids across runs). */
  readonly newId: IdSource;

  constructor(options: { teamName?: string; domain?: string; now?: () => number; idSeed?: string } = {}) {
    this.now = options.now ?? (() => Date.now());
    this.newId = createIdSource(options.idSeed);
    const clock = createTsClock(this.now);
    // Live posts stay newer than anything imported at a later ts than the clock has reached.
    this.nextTs = () => {
      this.lastIssuedMicros = Math.max(tsToMicros(clock()), this.lastIssuedMicros + 1);
      return microsToTs(this.lastIssuedMicros);
    };
    const appId = this.newId('A');
    this.team = {
      id: this.newId('T'),
      name: options.teamName ?? 'Pulse Emulated Workspace',
      domain: options.domain ?? 'pulse-emulated',
      appId,
      enterpriseId: null,
    };
    const botId = this.newId('B');
    const botUser = this.addUser({ name: 'pulse', realName: 'Pulse', isBot: true });
    botUser.botId = botId;
    botUser.appId = appId;
    this.bot = botUser as EmulatedUser & { botId: string; appId: string };
  }

  onChange(listener: (change: WorkspaceChange) => void): void {
    this.listeners.push(listener);
  }

  protected emit(change: WorkspaceChange): void {
    if (this.quietDepth > 0) return;
    for (const listener of this.listeners) listener(change);
  }

  private quietDepth = 0;

  /** Runs `change` without announcing it: history that existed before the app was listening. */
  silently<T>(change: () => T): T {
    this.quietDepth += 1;
    try {
      return change();
    } finally {
      this.quietDepth -= 1;
    }
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  addUser(user: NewUser): EmulatedUser {
    const record: EmulatedUser = {
      id: user.id ?? this.newId('U'),
      name: user.name,
      realName: user.realName ?? user.name,
      displayName: user.displayName ?? user.name,
      email: user.email ?? `${user.name}@example.com`,
      isAdmin: user.isAdmin ?? user.isOwner ?? false,
      isOwner: user.isOwner ?? false,
      isPrimaryOwner: user.isPrimaryOwner ?? false,
      isBot: user.isBot ?? false,
      deleted: false,
      tz: user.tz ?? 'Europe/London',
      tzLabel: 'Greenwich Mean Time',
      tzOffset: 0,
    };
    this.users.set(record.id, record);
    return record;
  }

  requireUser(id: string): EmulatedUser {
    const user = this.users.get(id);
    if (!user) throw new SlackError('user_not_found');
    return user;
  }
}
