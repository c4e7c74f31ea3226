/**
 * What admins manage in App Home: the workspace's LLM API key (validated,
 * sealed, never shown beyond its last 4 characters), the model, daily token
 * budgets; and the usage figures they see. Knows nothing of Slack or LangChain.
 */
import type { UsageStore } from '../db/usage-store.ts';
import type { WorkspaceSettingsStore } from '../db/workspace-settings-store.ts';
import type { Logger } from '../logger.ts';
import type { SecretBox } from '../secrets/secret-box.ts';

export const API_KEY_SECRET = 'llm_api_key';
export const MODEL_SETTING = 'llm_model';
export const TEAM_BUDGET_SETTING = 'daily_token_budget';
export const USER_BUDGET_SETTING = 'user_daily_token_budget';
/** Provider keys are well under this; anything longer is a paste accident, not a key. */
export const MAX_API_KEY_LENGTH = 512;
/** Usage shown in App Home covers this many days. */
export const USAGE_DAYS = 30;
/** People listed under "top users". */
export const TOP_USERS = 5;

export type KeyStatus =
  | { kind: 'workspace'; last4: string; setBy: string; setAt: Date }
  /** Stored, but it no longer decrypts (ENCRYPTION_KEY or the key file changed). */
  | { kind: 'unreadable'; last4: string; setBy: string; setAt: Date }
  | { kind: 'server' }
  | { kind: 'none' };

export type KeyCheck = { ok: true; models: string[] } | { ok: false; message: string };

export interface Budgets {
  team: number | undefined;
  perUser: number | undefined;
}

export interface WorkspaceSettingsDependencies {
  store: WorkspaceSettingsStore;
  usage: UsageStore;
  box: SecretBox;
  serverApiKey: string | undefined;
  defaultModel: string;
  /** 'validate': a pasted key, answered before a modal's 3 s deadline; 'test': no deadline. */
  checkKey: (apiKey: string, purpose: 'validate' | 'test') => Promise<KeyCheck>;
  logger: Logger;
  now?: () => Date;
}

/** Problems with a pasted value that need no provider to spot. */
export function describeKeyInputProblem(value: string): string | undefined {
  const key = value.trim();
  if (key === '') return 'Paste the API key: the field is empty.';
  if (key.length > MAX_API_KEY_LENGTH) return `That is ${key.length} characters: an API key is much shorter. Paste only the key.`;
  if (/\s/.test(key)) return 'The key contains spaces or line breaks. Paste only the key itself.';
  return undefined;
}

function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export class WorkspaceSettingsService {
  /** Decrypted keys per workspace, so answers do not decrypt on every question; dropped on every change. */
  private readonly keyCache = new Map<string, string | undefined>();
  private readonly now: () => Date;

  constructor(private readonly deps: WorkspaceSettingsDependencies) {
    this.now = deps.now ?? (() => new Date());
  }

  keyStatus(teamId: string): KeyStatus {
    const secret = this.deps.store.getSecret(teamId, API_KEY_SECRET);
    if (secret) {
      const details = { last4: secret.last4, setBy: secret.setBy, setAt: secret.setAt };
      return this.resolveWorkspaceKey(teamId) === undefined ? { kind: 'unreadable', ...details } : { kind: 'workspace', ...details };
    }
    return this.deps.serverApiKey ? { kind: 'server' } : { kind: 'none' };
  }

  /** Validates the key with the provider, then seals and stores it. Nothing is saved on any problem. */
  async setApiKey(teamId: string, value: string, userId: string): Promise<KeyCheck> {
    const problem = describeKeyInputProblem(value);
    if (problem) return { ok: false, message: problem };
    const apiKey = value.trim();
    this.deps.logger.addSecret(apiKey);
    const check = await this.deps.checkKey(apiKey, 'validate');
    if (!check.ok) return check;
    this.deps.store.putSecret({
      teamId,
      name: API_KEY_SECRET,
      ciphertext: this.deps.box.seal(apiKey, teamId),
      last4: apiKey.slice(-4),
      setBy: userId,
    });
    this.keyCache.delete(teamId);
    this.deps.logger.info(`workspace ${teamId}: API key set by ${userId}`);
    return check;
  }

  removeApiKey(teamId: string, userId: string): boolean {
    const removed = this.deps.store.deleteSecret(teamId, API_KEY_SECRET);
    this.keyCache.delete(teamId);
    if (removed) this.deps.logger.info(`workspace ${teamId}: API key removed by ${userId}`);
    return removed;
  }

  /** The key answers use: the workspace's own, else the server's OPENAI_API_KEY. */
  resolveApiKey(teamId: string): string | undefined {
    return this.resolveWorkspaceKey(teamId) ?? this.deps.serverApiKey;
  }

  private resolveWorkspaceKey(teamId: string): string | undefined {
    if (!this.keyCache.has(teamId)) {
      const secret = this.deps.store.getSecret(teamId, API_KEY_SECRET);
      let key: string | undefined;
      if (secret) {
        try {
          key = this.deps.box.open(secret.ciphertext, teamId);
          this.deps.logger.addSecret(key);
        } catch (error) {
          this.deps.logger.error(`workspace ${teamId}: the stored API key cannot be decrypted (was ENCRYPTION_KEY changed?):`, error);
        }
      }
      this.keyCache.set(teamId, key);
    }
    return this.keyCache.get(teamId);
  }

  model(teamId: string): string {
    return this.deps.store.getSetting(teamId, MODEL_SETTING) ?? this.deps.defaultModel;
  }

  setModel(teamId: string, model: string, userId: string): void {
    this.deps.store.setSetting(teamId, MODEL_SETTING, model, userId);
  }

  budgets(teamId: string): Budgets {
    const read = (key: string) => {
      const value = Number(this.deps.store.getSetting(teamId, key));
      return Number.isInteger(value) && value > 0 ? value : undefined;
    };
    return { team: read(TEAM_BUDGET_SETTING), perUser: read(USER_BUDGET_SETTING) };
  }

  setBudgets(teamId: string, budgets: Budgets, userId: string): void {
    for (const [key, value] of [
      [TEAM_BUDGET_SETTING, budgets.team],
      [USER_BUDGET_SETTING, budgets.perUser],
    ] as const) {
      if (value === undefined) this.deps.store.deleteSetting(teamId, key);
      else this.deps.store.setSetting(teamId, key, String(value), userId);
    }
  }

  /** Why a question may not use the model today, or undefined when it may. */
  budgetProblem(teamId: string, userId: string): string | undefined {
    const { team, perUser } = this.budgets(teamId);
    const today = startOfUtcDay(this.now());
    if (team !== undefined && this.deps.usage.tokensSince(teamId, today) >= team) {
      return `The workspace has used its daily budget of ${team.toLocaleString('en-US')} tokens. It resets at midnight UTC; an admin can raise it in Pulse's App Home.`;
    }
    if (perUser !== undefined && this.deps.usage.tokensSince(teamId, today, userId) >= perUser) {
      return `You have used your daily budget of ${perUser.toLocaleString('en-US')} tokens. It resets at midnight UTC; an admin can raise it in Pulse's App Home.`;
    }
    return undefined;
  }

  usageSummary(teamId: string) {
    const since = new Date(startOfUtcDay(this.now()).getTime() - (USAGE_DAYS - 1) * 86_400_000);
    return {
      since,
      daily: this.deps.usage.daily(teamId, since),
      topUsers: this.deps.usage.topUsers(teamId, since, TOP_USERS),
    };
  }
}
