/**
 * Analytics settings per workspace (App Home), and the workspace's pseudonym
 * secret: 32 random bytes made on first use, sealed like the API key. Changes
 * that would leave stored rows inconsistent take effect on the data too:
 * turning pseudonymization on or off deletes what was stored in the old form
 * (the next sync reads it again in the new one); turning text storage off
 * erases stored text at once.
 */
import { randomBytes } from 'node:crypto';
import {
  DEFAULT_ANALYTICS_SETTINGS,
  MAX_LOOKBACK_DAYS,
  MAX_RETENTION_DAYS,
  type AnalyticsSettings,
} from '../analytics/analytics-settings.ts';
import { createPseudonymizer, type Pseudonymize } from '../analytics/pseudonym.ts';
import type { WorkspaceSettingsStore } from '../db/workspace-settings-store.ts';
import type { Logger } from '../logger.ts';
import type { SecretBox } from '../secrets/secret-box.ts';

export const PSEUDONYM_SECRET = 'pseudonym_secret';
const PSEUDONYM_SECRET_BYTES = 32;

/** Also written by `npm run purge`, which pauses syncing like App Home's delete does. */
export const ANALYTICS_ENABLED_SETTING = 'analytics_enabled';

const KEYS = {
  enabled: ANALYTICS_ENABLED_SETTING,
  autoJoinPattern: 'analytics_auto_join_pattern',
  lookbackDays: 'analytics_lookback_days',
  retentionDays: 'analytics_retention_days',
  storeText: 'analytics_store_text',
  pseudonymize: 'analytics_pseudonymize',
  personFiguresFor: 'analytics_person_figures_for',
} as const satisfies Record<keyof AnalyticsSettings, string>;

/** What changing settings did to stored data, for the admin's confirmation. */
export interface SettingsChangeEffects {
  purgedMessages?: number;
  erasedText?: boolean;
}

export interface AnalyticsDataControl {
  purge(teamId: string): number;
  eraseText(teamId: string): void;
  counts(teamId: string): { messages: number; channels: number };
}

export class AnalyticsSettingsService {
  private readonly pseudonymizers = new Map<string, Pseudonymize>();

  constructor(
    private readonly deps: { store: WorkspaceSettingsStore; box: SecretBox; data: AnalyticsDataControl; logger: Logger },
  ) {}

  get(teamId: string): AnalyticsSettings {
    const read = (key: keyof AnalyticsSettings) => this.deps.store.getSetting(teamId, KEYS[key]);
    const days = (key: 'lookbackDays' | 'retentionDays', max: number) => {
      const value = Number(read(key));
      return Number.isInteger(value) && value >= 1 && value <= max ? value : DEFAULT_ANALYTICS_SETTINGS[key];
    };
    const flag = (key: 'enabled' | 'storeText' | 'pseudonymize') => {
      const value = read(key);
      return value === undefined ? DEFAULT_ANALYTICS_SETTINGS[key] : value === 'true';
    };
    return {
      enabled: flag('enabled'),
      autoJoinPattern: read('autoJoinPattern') || undefined,
      lookbackDays: days('lookbackDays', MAX_LOOKBACK_DAYS),
      retentionDays: days('retentionDays', MAX_RETENTION_DAYS),
      storeText: flag('storeText'),
      pseudonymize: flag('pseudonymize'),
      personFiguresFor: read('personFiguresFor') === 'everyone' ? 'everyone' : 'admins',
    };
  }

  /** Saves the changed settings (values already validated) and applies their effect on stored data. */
  update(teamId: string, changes: Partial<AnalyticsSettings>, userId: string): SettingsChangeEffects {
    const before = this.get(teamId);
    const effects: SettingsChangeEffects = {};
    for (const [key, value] of Object.entries(changes) as [keyof AnalyticsSettings, AnalyticsSettings[keyof AnalyticsSettings]][]) {
      if (value === undefined || value === '') this.deps.store.deleteSetting(teamId, KEYS[key]);
      else this.deps.store.setSetting(teamId, KEYS[key], String(value), userId);
    }
    const after = this.get(teamId);
    if (before.pseudonymize !== after.pseudonymize) {
      effects.purgedMessages = this.deps.data.purge(teamId);
    }
    if (before.storeText && !after.storeText) {
      this.deps.data.eraseText(teamId);
      effects.erasedText = true;
    }
    this.deps.logger.info(`workspace ${teamId}: analytics settings changed by ${userId}: ${Object.keys(changes).join(', ')}`);
    return effects;
  }

  /** "Delete all analytics data": every row goes, and syncing pauses until an admin turns it back on. */
  deleteAllData(teamId: string, userId: string): number {
    this.deps.store.setSetting(teamId, KEYS.enabled, 'false', userId);
    const removed = this.deps.data.purge(teamId);
    this.deps.logger.info(`workspace ${teamId}: all analytics data deleted by ${userId} (${removed} messages)`);
    return removed;
  }

  /** What "Delete all analytics data" would remove. */
  storedCounts(teamId: string): { messages: number; channels: number } {
    return this.deps.data.counts(teamId);
  }

  pseudonymizer(teamId: string): Pseudonymize {
    let pseudonymize = this.pseudonymizers.get(teamId);
    if (!pseudonymize) {
      let record = this.deps.store.getSecret(teamId, PSEUDONYM_SECRET);
      if (!record) {
        const secret = randomBytes(PSEUDONYM_SECRET_BYTES).toString('base64');
        this.deps.store.putSecret({ teamId, name: PSEUDONYM_SECRET, ciphertext: this.deps.box.seal(secret, teamId), last4: '', setBy: 'pulse' });
        record = this.deps.store.getSecret(teamId, PSEUDONYM_SECRET);
      }
      const secret = Buffer.from(this.deps.box.open((record as { ciphertext: string }).ciphertext, teamId), 'base64');
      pseudonymize = createPseudonymizer(secret, teamId);
      this.pseudonymizers.set(teamId, pseudonymize);
    }
    return pseudonymize;
  }
}
