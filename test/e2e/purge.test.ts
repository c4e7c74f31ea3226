/**
 * `npm run purge`: from the command line, `--team T…` disconnects one
 * workspace (every row of it in every table, and SLACK_BOT_TOKEN revoked when
 * it is that workspace's); without --team, every workspace's analytics rows
 * and sync state go and syncing pauses.
 */
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
import { startSlackEmulator, type SlackEmulator } from '../../src/emulator/driver.ts';
import { countTeamRows, seedTeamRows } from '../support/lifecycle-rows.ts';

const PURGE = fileURLToPath(new URL('../../src/purge.ts', import.meta.url));
const TSX_LOADER = import.meta.resolve('tsx');
const run = promisify(execFile);
const dirs: string[] = [];
let emulator: SlackEmulator | undefined;
afterEach(async () => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  await emulator?.stop();
  emulator = undefined;
});

/** A database holding analytics for two workspaces (T1 and T2, unless named). */
function seededDatabase(teams: readonly string[] = ['T1', 'T2']): string {
  const dir = mkdtempSync(join(tmpdir(), 'pulse-purge-'));
  dirs.push(dir);
  const path = join(dir, 'pulse.db');
  const database = openDatabase(path);
  const store = createAnalyticsStore(database.db);
  const channels = createAnalyticsChannelStore(database.db);
  for (const teamId of teams) {
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

/** Every table with team_id, the team's rows in each (sqlite_master, so tables added later count too). */
function everyTable(path: string, teamId: string): Record<string, number> {
  const database = openDatabase(path);
  try {
    return countTeamRows(database.db.$client, teamId);
  } finally {
    database.close();
  }
}

/** A row for each team in every table, on top of the analytics. */
function fillEveryTable(path: string, teams: readonly string[]): void {
  const database = openDatabase(path);
  try {
    for (const teamId of teams) seedTeamRows(database.db.$client, teamId);
  } finally {
    database.close();
  }
}

async function purge(path: string, args: string[] = [], env: Record<string, string> = {}) {
  return run(process.execPath, ['--import', TSX_LOADER, PURGE, ...args], {
    env: { PATH: process.env.PATH ?? '', DATABASE_PATH: path, ...env },
    cwd: join(path, '..'),
  });
}

/** Pulse's Slack settings pointing at a running emulator. */
async function slackOf(): Promise<{ env: Record<string, string>; slack: SlackEmulator }> {
  emulator = await startSlackEmulator();
  return { env: { SLACK_BOT_TOKEN: emulator.botToken, SLACK_APP_TOKEN: emulator.appToken, SLACK_API_URL: emulator.apiUrl }, slack: emulator };
}

describe('npm run purge', () => {
  it('with --team deletes every row of that workspace in every table, leaves the other alone, and says no token was revoked', async () => {
    const path = seededDatabase();
    fillEveryTable(path, ['T1', 'T2']);
    const otherBefore = everyTable(path, 'T2');

    const { stdout } = await purge(path, ['--team', 'T1']);

    expect(stdout).toMatch(/^T1: disconnected\. Deleted every row Pulse stored for this workspace \(\d+ in all\): .*analytics_messages 3, .*workspaces 1\./m);
    expect(stdout).toMatch(/SLACK_BOT_TOKEN is not configured, so no token was revoked/);
    expect(Object.entries(everyTable(path, 'T1')).filter(([, rows]) => rows > 0)).toEqual([]);
    expect(everyTable(path, 'T2')).toEqual(otherBefore);
  });

  it('with --team revokes SLACK_BOT_TOKEN when it belongs to that workspace', async () => {
    const { env, slack } = await slackOf();
    const teamId = slack.workspace.team.id;
    const path = seededDatabase([teamId, 'T2']);

    const { stdout } = await purge(path, ['--team', teamId], env);

    expect(stdout).toMatch(new RegExp(`Revoked SLACK_BOT_TOKEN: Pulse can no longer read or post in ${teamId}`));
    expect(slack.callsTo('auth.revoke')).toHaveLength(1);
    expect(Object.values(everyTable(path, teamId)).every((rows) => rows === 0)).toBe(true);
  });

  it('with --team says the token no longer works, and revokes nothing, when it was already revoked', async () => {
    const { env, slack } = await slackOf();
    const teamId = slack.workspace.team.id;
    await purge(seededDatabase([teamId]), ['--team', teamId], env);

    const { stdout } = await purge(seededDatabase([teamId]), ['--team', teamId], env);

    expect(stdout).toMatch(/SLACK_BOT_TOKEN no longer works \(token_revoked\): nothing to revoke/);
    expect(slack.callsTo('auth.revoke')).toHaveLength(1);
  });

  it('with --team exits non-zero and says the app must be removed in Slack when the revocation fails', async () => {
    const { env, slack } = await slackOf();
    const teamId = slack.workspace.team.id;
    slack.faults.error('auth.revoke', 'internal_error');

    const path = seededDatabase([teamId]);
    const failure = await purge(path, ['--team', teamId], env).catch((error: { code: number; stderr: string }) => error);

    expect(failure).toMatchObject({ code: 1, stderr: expect.stringMatching(/Could not revoke SLACK_BOT_TOKEN \(internal_error\): remove the app in Slack to revoke it/) });
    // The rows are gone all the same: the deletion does not wait on Slack.
    expect(Object.values(everyTable(path, teamId)).every((rows) => rows === 0)).toBe(true);
  });

  it('with --team leaves SLACK_BOT_TOKEN alone when it belongs to another workspace', async () => {
    const { env, slack } = await slackOf();
    const path = seededDatabase();

    const { stdout } = await purge(path, ['--team', 'T1'], env);

    expect(stdout).toMatch(new RegExp(`SLACK_BOT_TOKEN belongs to workspace ${slack.workspace.team.id}, not T1: it was left as it is`));
    expect(slack.callsTo('auth.revoke')).toEqual([]);
    expect(Object.values(everyTable(path, 'T1')).every((rows) => rows === 0)).toBe(true);
  });

  it('without --team deletes every workspace’s analytics, pauses their syncing, and keeps the rest', async () => {
    const path = seededDatabase();

    const { stdout } = await purge(path);

    expect(stdout).toMatch(/T1: deleted analytics data: analytics_messages 2, .*analytics_channels 1\. Syncing is paused/);
    for (const teamId of ['T1', 'T2']) {
      expect(Object.values(counts(path, teamId).rows).every((count) => count === 0)).toBe(true);
      expect(counts(path, teamId).enabled).toBe('false');
      expect(everyTable(path, teamId).workspaces).toBe(1);
    }
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
