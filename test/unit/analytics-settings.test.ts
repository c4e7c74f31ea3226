/**
 * Analytics settings: the pure defaults and checks (analytics-settings.ts),
 * and the per-workspace service that stores them, applies their effect on
 * stored rows and keeps the workspace's sealed pseudonym secret. Everything
 * runs against a real migrated database.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  compileChannelPattern,
  DEFAULT_ANALYTICS_SETTINGS,
  describeDaysProblem,
  describePatternProblem,
  MAX_LOOKBACK_DAYS,
  MAX_PATTERN_LENGTH,
} from '../../src/analytics/analytics-settings.ts';
import { extractMessageMetadata, type SlackMessageLike } from '../../src/analytics/message-metadata.ts';
import { toStoredMessage } from '../../src/analytics/stored-message.ts';
import { createAnalyticsChannelStore } from '../../src/db/analytics-channel-store.ts';
import { createAnalyticsStore } from '../../src/db/analytics-store.ts';
import { openDatabase, type OpenedDatabase } from '../../src/db/open-database.ts';
import { createWorkspaceSettingsStore } from '../../src/db/workspace-settings-store.ts';
import { createLogger } from '../../src/logger.ts';
import { SecretBox } from '../../src/secrets/secret-box.ts';
import {
  ANALYTICS_ENABLED_SETTING,
  AnalyticsSettingsService,
  PSEUDONYM_SECRET,
} from '../../src/settings/analytics-settings-service.ts';

const TEAM = 'T0ACME';
const OTHER_TEAM = 'T0OTHER';
const ADMIN = 'U0ADMIN';
const ENG = 'C01ENG';
/** A pseudonym: "P-" and 12 characters of RFC 4648 base32. */
const PSEUDONYM = /^P-[A-Z2-7]{12}$/;

const opened: OpenedDatabase[] = [];
afterEach(() => {
  for (const database of opened.splice(0)) database.close();
});

// ---- small factories -------------------------------------------------------

function aDatabase(): OpenedDatabase {
  const database = openDatabase(':memory:');
  opened.push(database);
  return database;
}

/** The service wired as start-pulse wires it: the real settings store, a SecretBox and the analytics store as its data. */
function aService(database = aDatabase(), key: Buffer = randomBytes(32)) {
  const settingsStore = createWorkspaceSettingsStore(database.db);
  const store = createAnalyticsStore(database.db);
  const channels = createAnalyticsChannelStore(database.db);
  const box = new SecretBox(key);
  const logLines: string[] = [];
  const service = new AnalyticsSettingsService({
    store: settingsStore,
    box,
    data: {
      purge: (teamId) => store.purge(teamId),
      eraseText: (teamId) => store.eraseText(teamId),
      counts: (teamId) => {
        const rows = store.rowCounts(teamId);
        return { messages: rows.analytics_messages ?? 0, channels: rows.analytics_channels ?? 0 };
      },
    },
    logger: createLogger({ level: 'info', sink: (line) => logLines.push(line) }),
  });
  /** Stores messages (with text) and a synced channel for a workspace, as a sync would. */
  const storeMessages = (teamId: string, messages: SlackMessageLike[]) => {
    channels.saveSeen(teamId, { channelId: ENG, name: 'eng', isPrivate: false, isArchived: false, isMember: true });
    store.writeMessages(
      teamId,
      messages.map((message) => toStoredMessage(extractMessageMetadata(message, { teamId, channelId: ENG, storeText: true }))),
    );
  };
  const storedTexts = (teamId: string) =>
    database.db.$client.prepare('SELECT text FROM analytics_messages WHERE team_id = ? ORDER BY ts').all(teamId).map((row) => (row as { text: string | null }).text);
  return { service, settingsStore, store, box, key, database, logLines, storeMessages, storedTexts };
}

const twoMessages: SlackMessageLike[] = [
  { ts: '1717000000.000100', user: 'U01ADA', text: 'Deploy is green' },
  { ts: '1717000100.000100', user: 'U02BEA', text: 'Which branch should I use?', reactions: [{ name: '+1', users: ['U01ADA'], count: 1 }] },
];

// ---- pure checks -----------------------------------------------------------

describe('describePatternProblem', () => {
  it('accepts a valid pattern of up to the maximum length', () => {
    expect(describePatternProblem('^eng-')).toBeUndefined();
    expect(describePatternProblem('a'.repeat(MAX_PATTERN_LENGTH))).toBeUndefined();
  });

  it('refuses a pattern longer than the maximum, naming the limit', () => {
    expect(describePatternProblem('a'.repeat(MAX_PATTERN_LENGTH + 1))).toBe(`Keep the pattern under ${MAX_PATTERN_LENGTH} characters.`);
  });

  it("explains an invalid regular expression in the engine's words, without its generic prefix", () => {
    const problem = describePatternProblem('eng-(');

    expect(problem).toMatch(/^That is not a valid regular expression: /);
    expect(problem).toContain('Unterminated group');
    expect(problem).not.toContain('Invalid regular expression');
  });
});

describe('compileChannelPattern', () => {
  it('matches channel names case-insensitively', () => {
    const pattern = compileChannelPattern('^eng-');

    expect(['eng-help', 'ENG-Prs', 'engineering', 'team-eng-x'].filter((name) => pattern?.test(name))).toEqual(['eng-help', 'ENG-Prs']);
  });

  it('gives no pattern for none, or for one that is not valid', () => {
    expect(compileChannelPattern(undefined)).toBeUndefined();
    expect(compileChannelPattern('eng-(')).toBeUndefined();
    expect(compileChannelPattern('a'.repeat(MAX_PATTERN_LENGTH + 1))).toBeUndefined();
  });
});

describe('describeDaysProblem', () => {
  it('accepts whole numbers from 1 to the maximum, surrounding spaces allowed', () => {
    for (const value of ['1', ' 90 ', String(MAX_LOOKBACK_DAYS)]) expect(describeDaysProblem(value, 'History', MAX_LOOKBACK_DAYS)).toBeUndefined();
  });

  it('asks for a whole number of at least one day, naming the field', () => {
    for (const value of ['0', '', 'abc', '1.5', '-3', '1e3', '30 days']) {
      expect(describeDaysProblem(value, 'History', MAX_LOOKBACK_DAYS)).toBe('History: enter a whole number of days (1 or more).');
    }
  });

  it('names the maximum, with a thousands separator, when the number is too large', () => {
    expect(describeDaysProblem(String(MAX_LOOKBACK_DAYS + 1), 'Retention', MAX_LOOKBACK_DAYS)).toBe('Retention: at most 3,650 days.');
  });
});

// ---- the service -----------------------------------------------------------

describe('AnalyticsSettingsService', () => {
  it('gives the defaults to a workspace that never changed anything', () => {
    expect(aService().service.get(TEAM)).toEqual(DEFAULT_ANALYTICS_SETTINGS);
  });

  it('saves changed settings for that workspace only', () => {
    const { service } = aService();

    service.update(TEAM, { autoJoinPattern: '^eng-', lookbackDays: 30, retentionDays: 400, personFiguresFor: 'everyone' }, ADMIN);

    expect(service.get(TEAM)).toEqual({
      ...DEFAULT_ANALYTICS_SETTINGS,
      autoJoinPattern: '^eng-',
      lookbackDays: 30,
      retentionDays: 400,
      personFiguresFor: 'everyone',
    });
    expect(service.get(OTHER_TEAM)).toEqual(DEFAULT_ANALYTICS_SETTINGS);
  });

  it('clears the auto-join pattern when it is saved empty or undefined', () => {
    const { service } = aService();
    service.update(TEAM, { autoJoinPattern: '^eng-' }, ADMIN);

    service.update(TEAM, { autoJoinPattern: undefined }, ADMIN);
    expect(service.get(TEAM).autoJoinPattern).toBeUndefined();

    service.update(TEAM, { autoJoinPattern: '^ops-' }, ADMIN);
    service.update(TEAM, { autoJoinPattern: '' }, ADMIN);
    expect(service.get(TEAM).autoJoinPattern).toBeUndefined();
  });

  it('falls back to the default for a stored number of days it cannot use', () => {
    const { service, settingsStore } = aService();
    settingsStore.setSetting(TEAM, 'analytics_lookback_days', 'soon', ADMIN);
    settingsStore.setSetting(TEAM, 'analytics_retention_days', String(100_000), ADMIN);

    expect(service.get(TEAM)).toMatchObject({
      lookbackDays: DEFAULT_ANALYTICS_SETTINGS.lookbackDays,
      retentionDays: DEFAULT_ANALYTICS_SETTINGS.retentionDays,
    });
  });

  it('changes no stored data when a change has no effect on it', () => {
    const { service, store, storeMessages } = aService();
    storeMessages(TEAM, twoMessages);

    const effects = service.update(TEAM, { lookbackDays: 30, storeText: false }, ADMIN);

    expect(effects).toEqual({});
    expect(store.rowCounts(TEAM).analytics_messages).toBe(2);
  });

  it('deletes what was stored when pseudonymization is turned on, and reports how many messages went', () => {
    const { service, store, storeMessages } = aService();
    storeMessages(TEAM, twoMessages);
    storeMessages(OTHER_TEAM, twoMessages);

    const effects = service.update(TEAM, { pseudonymize: true }, ADMIN);

    expect(effects).toEqual({ purgedMessages: 2 });
    expect(Object.values(store.rowCounts(TEAM)).every((count) => count === 0)).toBe(true);
    expect(store.rowCounts(OTHER_TEAM).analytics_messages).toBe(2);
  });

  it('deletes what was stored when pseudonymization is turned off again', () => {
    const { service, store, storeMessages } = aService();
    service.update(TEAM, { pseudonymize: true }, ADMIN);
    storeMessages(TEAM, twoMessages);

    expect(service.update(TEAM, { pseudonymize: false }, ADMIN)).toEqual({ purgedMessages: 2 });
    expect(store.rowCounts(TEAM).analytics_messages).toBe(0);
  });

  it('does not purge when pseudonymization is saved unchanged', () => {
    const { service, store, storeMessages } = aService();
    service.update(TEAM, { pseudonymize: true }, ADMIN);
    storeMessages(TEAM, twoMessages);

    expect(service.update(TEAM, { pseudonymize: true, retentionDays: 200 }, ADMIN)).toEqual({});
    expect(store.rowCounts(TEAM).analytics_messages).toBe(2);
  });

  it('erases stored text at once when text storage is turned off, keeping the metadata', () => {
    const { service, store, storeMessages, storedTexts, database } = aService();
    service.update(TEAM, { storeText: true }, ADMIN);
    storeMessages(TEAM, twoMessages);
    storeMessages(OTHER_TEAM, twoMessages);

    const effects = service.update(TEAM, { storeText: false }, ADMIN);

    expect(effects).toEqual({ erasedText: true });
    expect(storedTexts(TEAM)).toEqual([null, null]);
    expect(store.rowCounts(TEAM)).toMatchObject({ analytics_messages: 2, analytics_channel_days: 1 });
    const reactions = database.db.$client.prepare('SELECT reactions FROM analytics_messages WHERE team_id = ? ORDER BY ts').pluck().all(TEAM);
    expect(reactions).toEqual([null, JSON.stringify([['+1', 'U01ADA']])]);
    expect(storedTexts(OTHER_TEAM)).toEqual(['Deploy is green', 'Which branch should I use?']);
  });

  it('logs who changed which settings, without their values', () => {
    const { service, logLines } = aService();

    service.update(TEAM, { autoJoinPattern: '^secret-project-' }, ADMIN);

    expect(logLines.join('\n')).toContain(`workspace ${TEAM}: analytics settings changed by ${ADMIN}: autoJoinPattern`);
    expect(logLines.join('\n')).not.toContain('secret-project');
  });

  it('deletes every analytics row of the workspace on "delete all" and pauses syncing until resumed', () => {
    const { service, store, storeMessages, settingsStore } = aService();
    storeMessages(TEAM, twoMessages);
    storeMessages(OTHER_TEAM, twoMessages);
    expect(service.storedCounts(TEAM)).toEqual({ messages: 2, channels: 1 });

    const removed = service.deleteAllData(TEAM, ADMIN);

    expect(removed).toBe(2);
    expect(service.storedCounts(TEAM)).toEqual({ messages: 0, channels: 0 });
    expect(Object.values(store.rowCounts(TEAM)).every((count) => count === 0)).toBe(true);
    expect(service.get(TEAM).enabled).toBe(false);
    expect(settingsStore.getSetting(TEAM, ANALYTICS_ENABLED_SETTING)).toBe('false');
    expect(service.storedCounts(OTHER_TEAM)).toEqual({ messages: 2, channels: 1 });
    expect(service.get(OTHER_TEAM).enabled).toBe(true);

    service.update(TEAM, { enabled: true }, ADMIN);
    expect(service.get(TEAM).enabled).toBe(true);
  });
});

describe('the pseudonymizer', () => {
  it('gives a person the same pseudonym every time in a workspace, and different people different ones', () => {
    const { service } = aService();
    const pseudonymize = service.pseudonymizer(TEAM);

    expect(pseudonymize('U01ADA')).toMatch(PSEUDONYM);
    expect(pseudonymize('U01ADA')).toBe(service.pseudonymizer(TEAM)('U01ADA'));
    expect(pseudonymize('U01ADA')).not.toBe(pseudonymize('U02BEA'));
  });

  it('gives the same person unrelated pseudonyms in two workspaces', () => {
    const { service } = aService();

    expect(service.pseudonymizer(TEAM)('U01ADA')).not.toBe(service.pseudonymizer(OTHER_TEAM)('U01ADA'));
  });

  it('keeps pseudonyms after a restart: the secret is stored, not kept in memory only', () => {
    const database = aDatabase();
    const key = randomBytes(32);
    const before = aService(database, key).service.pseudonymizer(TEAM)('U01ADA');

    const after = aService(database, key).service.pseudonymizer(TEAM)('U01ADA');

    expect(after).toBe(before);
  });

  it('stores the secret sealed for its workspace: 32 random bytes that only the right key and workspace open', () => {
    const { service, settingsStore, box } = aService();
    service.pseudonymizer(TEAM);

    const record = settingsStore.getSecret(TEAM, PSEUDONYM_SECRET);

    expect(record?.ciphertext).toMatch(/^v1\./);
    expect(record?.setBy).toBe('pulse');
    expect(Buffer.from(box.open(record?.ciphertext ?? '', TEAM), 'base64')).toHaveLength(32);
    expect(() => box.open(record?.ciphertext ?? '', OTHER_TEAM)).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(record?.ciphertext ?? '', TEAM)).toThrow();
  });

  it('makes one secret per workspace, once', () => {
    const { service, settingsStore } = aService();
    service.pseudonymizer(TEAM);
    const first = settingsStore.getSecret(TEAM, PSEUDONYM_SECRET)?.ciphertext;

    service.pseudonymizer(TEAM);
    service.pseudonymizer(OTHER_TEAM);

    expect(settingsStore.getSecret(TEAM, PSEUDONYM_SECRET)?.ciphertext).toBe(first);
    expect(settingsStore.getSecret(OTHER_TEAM, PSEUDONYM_SECRET)?.ciphertext).not.toBe(first);
  });

  it('refuses to make pseudonyms when the stored secret cannot be opened with the configured key', () => {
    const database = aDatabase();
    aService(database, randomBytes(32)).service.pseudonymizer(TEAM);

    // Pseudonyms under a fresh secret would silently split every person in two.
    expect(() => aService(database, randomBytes(32)).service.pseudonymizer(TEAM)).toThrow();
  });
});
