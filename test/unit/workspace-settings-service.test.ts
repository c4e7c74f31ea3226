import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type OpenedDatabase } from '../../src/db/open-database.ts';
import { createQuestionStore, type NewQuestion } from '../../src/db/question-store.ts';
import { workspaceSecrets } from '../../src/db/schema.ts';
import { createUsageStore } from '../../src/db/usage-store.ts';
import { createWorkspaceSettingsStore } from '../../src/db/workspace-settings-store.ts';
import { createLogger } from '../../src/logger.ts';
import { SecretBox } from '../../src/secrets/secret-box.ts';
import {
  API_KEY_SECRET,
  MAX_API_KEY_LENGTH,
  TEAM_BUDGET_SETTING,
  TOP_USERS,
  USAGE_DAYS,
  WorkspaceSettingsService,
  type KeyCheck,
} from '../../src/settings/workspace-settings-service.ts';

const TEAM = 'T0ACME';
const OTHER_TEAM = 'T0OTHER';
const ADMIN = 'U0ADMIN';
/** Keys that match none of the logger's built-in patterns, so only the service's own care keeps them out of logs. */
const WORKSPACE_KEY = 'pk-live-Zr8TqLmN4vXw2YpK9sHdwxyz';
const REPLACEMENT_KEY = 'pk-live-Bv3JcQe7Hn1Uo5MgLa6Rmnop';
const SERVER_KEY = 'srv-key-Fh2Ws8Kd4Np6Yt0Xc9Ebsrvr';
const DAY_MS = 86_400_000;

const opened: OpenedDatabase[] = [];
afterEach(() => {
  for (const database of opened.splice(0)) database.close();
});

/** A clock tests move by hand; it drives the stores and the service alike. */
function aClock(start: string) {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (iso: string) => {
      current = new Date(iso);
    },
  };
}

/** A provider check scripted per key, recording every call (no mock library). */
function aKeyChecker(rejected: Record<string, string> = {}) {
  const calls: { apiKey: string; purpose: 'validate' | 'test' }[] = [];
  const checkKey = async (apiKey: string, purpose: 'validate' | 'test'): Promise<KeyCheck> => {
    calls.push({ apiKey, purpose });
    const message = rejected[apiKey];
    return message ? { ok: false, message } : { ok: true, models: ['gpt-4o', 'gpt-4o-mini'] };
  };
  return { calls, checkKey };
}

interface SetupOptions {
  serverApiKey?: string | undefined;
  rejected?: Record<string, string>;
  clock?: ReturnType<typeof aClock>;
  database?: OpenedDatabase;
  box?: SecretBox;
}

function setUp(options: SetupOptions = {}) {
  const database = options.database ?? openDatabase(':memory:');
  if (!options.database) opened.push(database);
  const clock = options.clock ?? aClock('2025-03-15T12:00:00Z');
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
  const checker = aKeyChecker(options.rejected);
  const box = options.box ?? new SecretBox(randomBytes(32));
  const store = createWorkspaceSettingsStore(database.db, clock.now);
  const service = new WorkspaceSettingsService({
    store,
    usage: createUsageStore(database.db),
    box,
    serverApiKey: 'serverApiKey' in options ? options.serverApiKey : SERVER_KEY,
    defaultModel: 'gpt-4o-mini',
    checkKey: checker.checkKey,
    logger,
    now: clock.now,
  });
  const questions = createQuestionStore(database.db, clock.now);
  let sequence = 0;
  /** Records an answered question for `userId` at the clock's current time, spending `tokens`. */
  const spend = (userId: string, tokens: number, teamId = TEAM) => {
    sequence += 1;
    const question: NewQuestion = {
      teamId,
      dedupeKey: `msg:D1:${sequence}`,
      source: 'dm',
      userId,
      channelId: 'D1',
      messageTs: `1700000000.${String(sequence).padStart(6, '0')}`,
      threadTs: `1700000000.${String(sequence).padStart(6, '0')}`,
      replyChannelId: 'D1',
    };
    const record = questions.recordIfNew(question);
    if (!record) throw new Error('question already recorded');
    const promptTokens = Math.floor(tokens * 0.75);
    questions.finish(record.id, { status: 'answered', promptTokens, completionTokens: tokens - promptTokens, model: 'gpt-4o-mini' });
  };
  const secretRows = () => database.db.select().from(workspaceSecrets).all();
  return { database, clock, lines, logger, checker, box, store, service, spend, secretRows };
}

describe('WorkspaceSettingsService key status', () => {
  it('is "none" with neither a workspace key nor a server key', () => {
    expect(setUp({ serverApiKey: undefined }).service.keyStatus(TEAM)).toEqual({ kind: 'none' });
  });

  it('is "server" when only the server’s OPENAI_API_KEY is configured', () => {
    expect(setUp().service.keyStatus(TEAM)).toEqual({ kind: 'server' });
  });

  it('is "workspace" once an admin set a key: last 4 characters, who and when, never the key', async () => {
    const { service, clock } = setUp({ clock: aClock('2025-03-15T09:30:00Z') });
    await service.setApiKey(TEAM, WORKSPACE_KEY, ADMIN);
    const status = service.keyStatus(TEAM);
    expect(status).toEqual({ kind: 'workspace', last4: 'wxyz', setBy: ADMIN, setAt: clock.now() });
    expect(JSON.stringify(status)).not.toContain(WORKSPACE_KEY);
  });

  it('is per workspace', async () => {
    const { service } = setUp();
    await service.setApiKey(TEAM, WORKSPACE_KEY, ADMIN);
    expect(service.keyStatus(OTHER_TEAM)).toEqual({ kind: 'server' });
  });
});

describe('WorkspaceSettingsService.setApiKey', () => {
  it.each([
    ['an empty field', '', 'the field is empty'],
    ['only whitespace', '  \n\t ', 'the field is empty'],
    ['a key with a space inside', 'pk-live abc123456', 'spaces or line breaks'],
    ['a key with a line break inside', 'pk-live\nabc123456', 'spaces or line breaks'],
    ['an over-long paste', 'k'.repeat(MAX_API_KEY_LENGTH + 1), `${MAX_API_KEY_LENGTH + 1} characters`],
  ])('refuses %s without asking the provider or saving anything', async (_what, value, message) => {
    const { service, checker, secretRows } = setUp();
    const result = await service.setApiKey(TEAM, value, ADMIN);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
    expect(checker.calls).toHaveLength(0);
    expect(secretRows()).toEqual([]);
    expect(service.keyStatus(TEAM)).toEqual({ kind: 'server' });
  });

  it('accepts a key of exactly the maximum length', async () => {
    const { service, checker } = setUp();
    const longest = 'k'.repeat(MAX_API_KEY_LENGTH);
    expect((await service.setApiKey(TEAM, longest, ADMIN)).ok).toBe(true);
    expect(checker.calls).toEqual([{ apiKey: longest, purpose: 'validate' }]);
  });

  it('checks the trimmed key with the provider, for validation', async () => {
    const { service, checker } = setUp();
    await service.setApiKey(TEAM, `  ${WORKSPACE_KEY}\n`, ADMIN);
    expect(checker.calls).toEqual([{ apiKey: WORKSPACE_KEY, purpose: 'validate' }]);
  });

  it('returns the provider’s models when the key is accepted', async () => {
    const { service } = setUp();
    expect(await service.setApiKey(TEAM, WORKSPACE_KEY, ADMIN)).toEqual({ ok: true, models: ['gpt-4o', 'gpt-4o-mini'] });
  });

  it('saves nothing and passes the provider’s explanation on when the key is rejected', async () => {
    const { service, secretRows } = setUp({ rejected: { [WORKSPACE_KEY]: 'The provider refused the key.' } });
    expect(await service.setApiKey(TEAM, WORKSPACE_KEY, ADMIN)).toEqual({ ok: false, message: 'The provider refused the key.' });
    expect(secretRows()).toEqual([]);
    expect(service.resolveApiKey(TEAM)).toBe(SERVER_KEY);
  });

  it('keeps the existing key when a replacement is rejected', async () => {
    const { service, secretRows } = setUp({ rejected: { [REPLACEMENT_KEY]: 'The provider refused the key.' } });
    await service.setApiKey(TEAM, WORKSPACE_KEY, ADMIN);
    const before = secretRows();
    expect((await service.setApiKey(TEAM, REPLACEMENT_KEY, ADMIN)).ok).toBe(false);
    expect(secretRows()).toEqual(before);
    expect(service.resolveApiKey(TEAM)).toBe(WORKSPACE_KEY);
  });

  it('stores only ciphertext sealed for the workspace, with the right last 4 characters', async () => {
    const { service, secretRows, box } = setUp();
    await service.setApiKey(TEAM, WORKSPACE_KEY, ADMIN);
    const rows = secretRows();
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({ teamId: TEAM, name: API_KEY_SECRET, last4: 'wxyz', setBy: ADMIN });
    expect(JSON.stringify(row)).not.toContain(WORKSPACE_KEY);
    expect(row?.ciphertext).not.toContain(WORKSPACE_KEY.slice(0, 12));
    expect(row?.ciphertext.startsWith('v1.')).toBe(true);
    expect(box.open(row?.ciphertext ?? '', TEAM)).toBe(WORKSPACE_KEY);
    expect(() => box.open(row?.ciphertext ?? '', OTHER_TEAM)).toThrow();
  });

  it('overwrites the old ciphertext when a key is replaced: one row, new ciphertext, new last 4', async () => {
    const { service, secretRows, box } = setUp();
    await service.setApiKey(TEAM, WORKSPACE_KEY, ADMIN);
    const [first] = secretRows();
    await service.setApiKey(TEAM, REPLACEMENT_KEY, 'U0OTHERADMIN');
    const rows = secretRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.ciphertext).not.toBe(first?.ciphertext);
    expect(rows[0]).toMatchObject({ last4: 'mnop', setBy: 'U0OTHERADMIN' });
    expect(box.open(rows[0]?.ciphertext ?? '', TEAM)).toBe(REPLACEMENT_KEY);
  });
});

describe('WorkspaceSettingsService.resolveApiKey', () => {
  it('prefers the workspace key over the server key', async () => {
    const { service } = setUp();
    await service.setApiKey(TEAM, WORKSPACE_KEY, ADMIN);
    expect(service.resolveApiKey(TEAM)).toBe(WORKSPACE_KEY);
  });

  it('falls back to the server key when the workspace has none', () => {
    expect(setUp().service.resolveApiKey(TEAM)).toBe(SERVER_KEY);
  });

  it('is undefined with no key anywhere', () => {
    expect(setUp({ serverApiKey: undefined }).service.resolveApiKey(TEAM)).toBeUndefined();
  });

  it('keeps each workspace’s key to itself', async () => {
    const { service } = setUp();
    await service.setApiKey(TEAM, WORKSPACE_KEY, ADMIN);
    await service.setApiKey(OTHER_TEAM, REPLACEMENT_KEY, ADMIN);
    expect(service.resolveApiKey(TEAM)).toBe(WORKSPACE_KEY);
    expect(service.resolveApiKey(OTHER_TEAM)).toBe(REPLACEMENT_KEY);
  });

  it('caches the decrypted key: a change made behind the service’s back is not seen', async () => {
    const { service, database } = setUp();
    await service.setApiKey(TEAM, WORKSPACE_KEY, ADMIN);
    expect(service.resolveApiKey(TEAM)).toBe(WORKSPACE_KEY);
    database.db.delete(workspaceSecrets).where(eq(workspaceSecrets.teamId, TEAM)).run();
    expect(service.resolveApiKey(TEAM)).toBe(WORKSPACE_KEY);
  });

  it('caches the absence of a workspace key too', () => {
    const { service, store, box } = setUp();
    expect(service.resolveApiKey(TEAM)).toBe(SERVER_KEY);
    store.putSecret({ teamId: TEAM, name: API_KEY_SECRET, ciphertext: box.seal(WORKSPACE_KEY, TEAM), last4: 'wxyz', setBy: ADMIN });
    expect(service.resolveApiKey(TEAM)).toBe(SERVER_KEY);
  });

  it('drops the cache when a key is set', async () => {
    const { service } = setUp();
    expect(service.resolveApiKey(TEAM)).toBe(SERVER_KEY);
    await service.setApiKey(TEAM, WORKSPACE_KEY, ADMIN);
    expect(service.resolveApiKey(TEAM)).toBe(WORKSPACE_KEY);
    await service.setApiKey(TEAM, REPLACEMENT_KEY, ADMIN);
    expect(service.resolveApiKey(TEAM)).toBe(REPLACEMENT_KEY);
  });

  it('drops the cache when the key is removed, falling back to the server key', async () => {
    const { service, secretRows } = setUp();
    await service.setApiKey(TEAM, WORKSPACE_KEY, ADMIN);
    expect(service.resolveApiKey(TEAM)).toBe(WORKSPACE_KEY);
    expect(service.removeApiKey(TEAM, ADMIN)).toBe(true);
    expect(secretRows()).toEqual([]);
    expect(service.resolveApiKey(TEAM)).toBe(SERVER_KEY);
    expect(service.keyStatus(TEAM)).toEqual({ kind: 'server' });
  });

  it('reports that there was nothing to remove', () => {
    const { service, lines } = setUp();
    expect(service.removeApiKey(TEAM, ADMIN)).toBe(false);
    expect(lines.join('\n')).not.toContain('removed');
  });

  it('falls back to the server key and logs an error when the stored key cannot be decrypted (another encryption key)', async () => {
    const database = openDatabase(':memory:');
    opened.push(database);
    const before = setUp({ database, box: new SecretBox(randomBytes(32)) });
    await before.service.setApiKey(TEAM, WORKSPACE_KEY, ADMIN);
    const after = setUp({ database, box: new SecretBox(randomBytes(32)) });
    expect(after.service.resolveApiKey(TEAM)).toBe(SERVER_KEY);
    const errors = after.lines.filter((line) => line.includes(' ERROR '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`workspace ${TEAM}: the stored API key cannot be decrypted`);
    expect(after.lines.join('\n')).not.toContain(WORKSPACE_KEY);
    // Admins are told, not shown a key that looks fine.
    expect(after.service.keyStatus(TEAM)).toMatchObject({ kind: 'unreadable', last4: WORKSPACE_KEY.slice(-4) });
    expect(before.service.keyStatus(TEAM)).toMatchObject({ kind: 'workspace' });
  });

  it('is undefined when the stored key cannot be decrypted and there is no server key', async () => {
    const database = openDatabase(':memory:');
    opened.push(database);
    await setUp({ database }).service.setApiKey(TEAM, WORKSPACE_KEY, ADMIN);
    expect(setUp({ database, serverApiKey: undefined }).service.resolveApiKey(TEAM)).toBeUndefined();
  });

  it('never writes a key to the logs, at debug level, through set, resolve, replace and remove', async () => {
    const { service, lines } = setUp();
    await service.setApiKey(TEAM, ` ${WORKSPACE_KEY} `, ADMIN);
    service.resolveApiKey(TEAM);
    await service.setApiKey(TEAM, REPLACEMENT_KEY, ADMIN);
    service.resolveApiKey(TEAM);
    service.removeApiKey(TEAM, ADMIN);
    service.resolveApiKey(TEAM);
    const log = lines.join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(log).toContain(`workspace ${TEAM}: API key set by ${ADMIN}`);
    expect(log).toContain(`workspace ${TEAM}: API key removed by ${ADMIN}`);
    for (const key of [WORKSPACE_KEY, REPLACEMENT_KEY, SERVER_KEY]) expect(log).not.toContain(key);
  });

  it('registers the pasted key with the logger, so it is redacted wherever it is later printed', async () => {
    const { service, logger, lines } = setUp({ rejected: { [WORKSPACE_KEY]: 'The provider refused the key.' } });
    await service.setApiKey(TEAM, WORKSPACE_KEY, ADMIN);
    logger.debug(`payload: {"value":"${WORKSPACE_KEY}"}`);
    expect(lines.join('\n')).not.toContain(WORKSPACE_KEY);
    expect(lines.join('\n')).toContain('[REDACTED]');
  });
});

describe('WorkspaceSettingsService model', () => {
  it('is the configured default until an admin picks one', () => {
    expect(setUp().service.model(TEAM)).toBe('gpt-4o-mini');
  });

  it('is the admin’s choice once set, for that workspace only', () => {
    const { service } = setUp();
    service.setModel(TEAM, 'gpt-4o', ADMIN);
    expect(service.model(TEAM)).toBe('gpt-4o');
    expect(service.model(OTHER_TEAM)).toBe('gpt-4o-mini');
    service.setModel(TEAM, 'o3-mini', ADMIN);
    expect(service.model(TEAM)).toBe('o3-mini');
  });
});

describe('WorkspaceSettingsService budgets', () => {
  it('are unset by default', () => {
    expect(setUp().service.budgets(TEAM)).toEqual({ team: undefined, perUser: undefined });
  });

  it('read back as set, and each clears on its own', () => {
    const { service } = setUp();
    service.setBudgets(TEAM, { team: 200_000, perUser: 20_000 }, ADMIN);
    expect(service.budgets(TEAM)).toEqual({ team: 200_000, perUser: 20_000 });
    service.setBudgets(TEAM, { team: undefined, perUser: 20_000 }, ADMIN);
    expect(service.budgets(TEAM)).toEqual({ team: undefined, perUser: 20_000 });
    service.setBudgets(TEAM, { team: 5, perUser: undefined }, ADMIN);
    expect(service.budgets(TEAM)).toEqual({ team: 5, perUser: undefined });
    service.setBudgets(TEAM, { team: undefined, perUser: undefined }, ADMIN);
    expect(service.budgets(TEAM)).toEqual({ team: undefined, perUser: undefined });
    expect(service.budgets(OTHER_TEAM)).toEqual({ team: undefined, perUser: undefined });
  });

  it('treats a stored value that is not a positive whole number as no limit', () => {
    const { service, store } = setUp();
    for (const value of ['lots', '0', '-5', '1.5', '']) {
      store.setSetting(TEAM, TEAM_BUDGET_SETTING, value, ADMIN);
      expect(service.budgets(TEAM).team, value).toBeUndefined();
    }
  });
});

describe('WorkspaceSettingsService.budgetProblem', () => {
  it('finds none when no budget is set, however much was spent', () => {
    const { service, spend } = setUp();
    spend('U0ALICE', 10_000_000);
    expect(service.budgetProblem(TEAM, 'U0ALICE')).toBeUndefined();
  });

  it('lets questions through below the workspace budget and stops them once everyone together reaches it', () => {
    const { service, spend } = setUp();
    service.setBudgets(TEAM, { team: 1_000, perUser: undefined }, ADMIN);
    spend('U0ALICE', 600);
    spend('U0BOB', 399);
    expect(service.budgetProblem(TEAM, 'U0CAROL')).toBeUndefined();
    spend('U0BOB', 1);
    const problem = service.budgetProblem(TEAM, 'U0CAROL');
    expect(problem).toContain('The workspace has used its daily budget of 1,000 tokens');
    expect(problem).toContain('midnight UTC');
  });

  it('stops only the person who reached their own budget', () => {
    const { service, spend } = setUp();
    service.setBudgets(TEAM, { team: undefined, perUser: 500 }, ADMIN);
    spend('U0ALICE', 300);
    spend('U0ALICE', 200);
    spend('U0BOB', 499);
    expect(service.budgetProblem(TEAM, 'U0ALICE')).toContain('You have used your daily budget of 500 tokens');
    expect(service.budgetProblem(TEAM, 'U0BOB')).toBeUndefined();
  });

  it('names the workspace budget first when both are exhausted', () => {
    const { service, spend } = setUp();
    service.setBudgets(TEAM, { team: 100, perUser: 50 }, ADMIN);
    spend('U0ALICE', 100);
    expect(service.budgetProblem(TEAM, 'U0ALICE')).toContain('The workspace has used');
  });

  it('does not count another workspace’s usage', () => {
    const { service, spend } = setUp();
    service.setBudgets(TEAM, { team: 100, perUser: 100 }, ADMIN);
    spend('U0ALICE', 5_000, OTHER_TEAM);
    expect(service.budgetProblem(TEAM, 'U0ALICE')).toBeUndefined();
  });

  it('counts a question that is still being answered as spending nothing yet', () => {
    const { service, database, clock } = setUp();
    service.setBudgets(TEAM, { team: 1, perUser: undefined }, ADMIN);
    createQuestionStore(database.db, clock.now).recordIfNew({
      teamId: TEAM,
      dedupeKey: 'msg:D1:pending',
      source: 'dm',
      userId: 'U0ALICE',
      channelId: 'D1',
      messageTs: '1.1',
      threadTs: '1.1',
      replyChannelId: 'D1',
    });
    expect(service.budgetProblem(TEAM, 'U0ALICE')).toBeUndefined();
  });

  it('resets at the UTC day boundary', () => {
    const { service, spend, clock } = setUp({ clock: aClock('2025-03-15T23:59:59.999Z') });
    service.setBudgets(TEAM, { team: 1_000, perUser: 100 }, ADMIN);
    spend('U0ALICE', 1_000);
    expect(service.budgetProblem(TEAM, 'U0ALICE')).toContain('The workspace has used');
    clock.set('2025-03-16T00:00:00.000Z');
    expect(service.budgetProblem(TEAM, 'U0ALICE')).toBeUndefined();
    spend('U0ALICE', 100);
    expect(service.budgetProblem(TEAM, 'U0ALICE')).toContain('You have used your daily budget of 100 tokens');
    clock.set('2025-03-16T23:59:59.999Z');
    expect(service.budgetProblem(TEAM, 'U0ALICE')).toContain('You have used your daily budget');
  });

  it('uses the UTC day even where local midnight falls elsewhere (a question at 00:30 UTC is today’s)', () => {
    const { service, spend, clock } = setUp({ clock: aClock('2025-03-16T00:30:00Z') });
    service.setBudgets(TEAM, { team: 100, perUser: undefined }, ADMIN);
    spend('U0ALICE', 100);
    clock.set('2025-03-16T23:00:00Z');
    expect(service.budgetProblem(TEAM, 'U0ALICE')).toContain('The workspace has used');
  });
});

describe('WorkspaceSettingsService.usageSummary', () => {
  it(`covers the last ${USAGE_DAYS} UTC days, today included`, () => {
    const { service, spend, clock } = setUp();
    const today = Date.UTC(2025, 2, 31);
    const firstDay = today - (USAGE_DAYS - 1) * DAY_MS;
    clock.set(new Date(firstDay - 1).toISOString());
    spend('U0OLD', 1_000_000);
    clock.set(new Date(firstDay).toISOString());
    spend('U0ALICE', 10);
    clock.set(new Date(today + DAY_MS - 1).toISOString());
    spend('U0ALICE', 20);
    const summary = service.usageSummary(TEAM);
    expect(summary.since).toEqual(new Date(firstDay));
    expect(summary.daily).toEqual([
      { day: '2025-03-02', questions: 1, tokens: 10 },
      { day: '2025-03-31', questions: 1, tokens: 20 },
    ]);
    expect(summary.topUsers).toEqual([{ userId: 'U0ALICE', questions: 2, tokens: 30 }]);
  });

  it('has a row for every active day of the 30 and lists at most 5 top users, biggest spenders first', () => {
    const { service, spend, clock } = setUp();
    const today = Date.UTC(2025, 2, 31);
    for (let day = 0; day < USAGE_DAYS; day += 1) {
      clock.set(new Date(today - day * DAY_MS + 12 * 3_600_000).toISOString());
      spend(`U0USER${day % 7}`, 100 + (day % 7) * 10);
    }
    clock.set(new Date(today + 18 * 3_600_000).toISOString());
    const summary = service.usageSummary(TEAM);
    expect(summary.daily).toHaveLength(USAGE_DAYS);
    expect(summary.topUsers).toHaveLength(TOP_USERS);
    const tokens = summary.topUsers.map((user) => user.tokens);
    expect(tokens).toEqual([...tokens].sort((a, b) => b - a));
    expect(summary.topUsers[0]?.userId).toBe('U0USER6');
  });

  it('is empty for a workspace nobody used', () => {
    const summary = setUp().service.usageSummary(TEAM);
    expect(summary.daily).toEqual([]);
    expect(summary.topUsers).toEqual([]);
  });
});
