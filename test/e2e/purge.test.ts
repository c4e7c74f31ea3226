/** `npm run purge`: deletes a workspace's analytics rows and sync state from the command line, and pauses syncing. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { extractMessageMetadata } from '../../src/analytics/message-metadata.ts';
import { toStoredMessage } from '../../src/analytics/stored-message.ts';
import { createAnalyticsChannelStore } from '../../src/db/analytics-channel-store.ts';
import { createAnalyticsStore } from '../../src/db/analytics-store.ts';
import { openDatabase } from '../../src/db/open-database.ts';
import { createWorkspaceSettingsStore } from '../../src/db/workspace-settings-store.ts';
import { upsertWorkspace } from '../../src/db/workspace-store.ts';

const PURGE = fileURLToPath(new URL('../../src/purge.ts', import.meta.url));
const TSX_LOADER = import.meta.resolve('tsx');
const run = promisify(execFile);
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A database holding analytics for two workspaces. */
function seededDatabase(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-purge-'));
  dirs.push(dir);
  const path = join(dir, 'pulse.db');
  const database = openDatabase(path);
  const store = createAnalyticsStore(database.db);
  const channels = createAnalyticsChannelStore(database.db);
  for (const teamId of ['T1', 'T2']) {
    upsertWorkspace(database.db, { teamId, name: teamId, domain: teamId.toLowerCase(), botUserId: 'UBOT', botId: 'BBOT' });
    channels.saveSeen(teamId, { channelId: 'C1', name: 'general', isPrivate: false, isArchived: false, isMember: true });
    const root = { ts: '1763000000.000100', user: 'U1', text: 'anyone know why <https://github.com/a/b/pull/1> fails?', reply_count: 1, thread_ts: '1763000000.000100', reactions: [{ name: 'eyes', count: 1, users: ['U2'] }] };
    const reply = { ts: '1763000060.000100', user: 'U2', text: 'yes, <@U1>', thread_ts: root.ts };
    store.writeMessages(
      teamId,
      [root, reply].map((message) => toStoredMessage(extractMessageMetadata(message, { teamId, channelId: 'C1', storeText: false }))),
    );
  }
  database.close();
  return path;
}

function counts(path: string, teamId: string) {
  const database = openDatabase(path);
  try {
    return {
      rows: createAnalyticsStore(database.db).rowCounts(teamId),
      enabled: createWorkspaceSettingsStore(database.db).getSetting(teamId, 'analytics_enabled'),
    };
  } finally {
    database.close();
  }
}

async function purge(path: string, args: string[] = []) {
  return run(process.execPath, ['--import', TSX_LOADER, PURGE, ...args], {
    env: { PATH: process.env.PATH ?? '', DATABASE_PATH: path },
    cwd: join(path, '..'),
  });
}

describe('npm run purge', () => {
  it('with --team deletes that workspace’s analytics rows and sync state, pauses its sync, and leaves the other workspace alone', async () => {
    const path = seededDatabase();
    expect(counts(path, 'T1').rows.analytics_messages).toBe(2);

    const { stdout } = await purge(path, ['--team', 'T1']);

    expect(stdout).toMatch(/T1: deleted analytics_messages 2, .*analytics_channels 1\. Syncing is paused/);
    expect(Object.values(counts(path, 'T1').rows).every((count) => count === 0)).toBe(true);
    expect(counts(path, 'T1').enabled).toBe('false');
    expect(counts(path, 'T2').rows.analytics_messages).toBe(2);
    expect(counts(path, 'T2').enabled).toBeUndefined();
  });

  it('without --team purges every workspace in the database', async () => {
    const path = seededDatabase();

    await purge(path);

    for (const teamId of ['T1', 'T2']) expect(Object.values(counts(path, teamId).rows).every((count) => count === 0)).toBe(true);
  });

  it('refuses an unknown workspace, naming the known ones, and deletes nothing', async () => {
    const path = seededDatabase();

    const failure = await purge(path, ['--team', 'T9']).catch((error: { code: number; stderr: string }) => error);

    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(/Workspace T9 is not in .*Known: T1, T2/);
    expect(counts(path, 'T1').rows.analytics_messages).toBe(2);
  });

  it('says so when there is no database at DATABASE_PATH, and creates none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-purge-'));
    dirs.push(dir);

    const failure = await purge(join(dir, 'missing.db')).catch((error: { code: number; stderr: string }) => error);

    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(/No database at .*missing\.db/);
  });
});
