/**
 * `npm run purge -- --team T…`: disconnects one workspace from the command
 * line, as App Home's "Disconnect Pulse" does: deletes every row Pulse stored
 * for it, in every table, then revokes SLACK_BOT_TOKEN when it is configured
 * and belongs to that workspace.
 *
 * `npm run purge` (no --team): deletes the analytics data and sync state of
 * every workspace in the database and pauses their syncing, as App Home's
 * "Delete all analytics data" does; keys, settings and reports stay.
 *
 * Stop Pulse first, or it may write again.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig, loadDatabasePath } from './config.ts';
import { ANALYTICS_TABLES, createAnalyticsStore } from './db/analytics-store.ts';
import { openDatabase, type PulseDatabase } from './db/open-database.ts';
import { createWorkspaceSettingsStore } from './db/workspace-settings-store.ts';
import { listWorkspaceIds } from './db/workspace-store.ts';
import { createLifecycleStore } from './db/workspace-lifecycle-store.ts';
import { deleteWorkspaceData } from './lifecycle/workspace-lifecycle.ts';
import { ANALYTICS_ENABLED_SETTING } from './settings/analytics-settings-service.ts';

/** How long one Slack call may take before the command gives up on revoking. */
const SLACK_CALL_TIMEOUT_MS = 15_000;

const USAGE = `Usage:
  npm run purge -- --team T0123ABCD   Disconnect one workspace: delete every row Pulse stored for it
                                      and revoke SLACK_BOT_TOKEN if it belongs to that workspace.
  npm run purge                       Delete the analytics data (and pause syncing) of every workspace
                                      in DATABASE_PATH; keys, settings and reports stay.
`;

const { values } = parseArgs({ options: { team: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const path = loadDatabasePath();
if (path !== ':memory:' && !existsSync(path)) {
  process.stderr.write(`No database at ${path} (DATABASE_PATH): nothing to purge.\n`);
  process.exit(1);
}
const database = openDatabase(path);
try {
  if (values.team) disconnectWorkspace(database.db, values.team);
  else purgeAllAnalytics(database.db);
} finally {
  database.close();
}
if (values.team && process.exitCode === undefined) await revokeBotToken(values.team);

function disconnectWorkspace(db: PulseDatabase, teamId: string): void {
  const store = createLifecycleStore(db);
  const known = [...new Set([...listWorkspaceIds(db), ...store.teamsWithRows()])].sort();
  if (!known.includes(teamId)) {
    process.stderr.write(`Workspace ${teamId} is not in ${path}. Known: ${known.join(', ') || 'none'}.\n`);
    process.exitCode = 1;
    return;
  }
  const summary = deleteWorkspaceData(store, teamId, 'cli');
  const removed = Object.entries(summary.tables)
    .filter(([, rows]) => rows > 0)
    .map(([table, rows]) => `${table} ${rows}`)
    .join(', ');
  process.stdout.write(`${teamId}: disconnected. Deleted every row Pulse stored for this workspace (${summary.total} in all): ${removed}.\n`);
}

function purgeAllAnalytics(db: PulseDatabase): void {
  const teams = listWorkspaceIds(db);
  const analytics = createAnalyticsStore(db);
  const settings = createWorkspaceSettingsStore(db);
  for (const teamId of teams) {
    const before = analytics.rowCounts(teamId);
    analytics.purge(teamId);
    settings.setSetting(teamId, ANALYTICS_ENABLED_SETTING, 'false', 'npm run purge');
    const removed = ANALYTICS_TABLES.map((table) => `${table} ${before[table] ?? 0}`).join(', ');
    process.stdout.write(`${teamId}: deleted analytics data: ${removed}. Syncing is paused until an admin resumes it in App Home.\n`);
  }
  if (teams.length === 0) process.stdout.write('No workspace in the database: nothing to purge.\n');
}

/** One Web API call as Slack's wire format has it (POST, Bearer token); resolves with the JSON answer. */
async function callSlack(apiUrl: string, token: string, method: string): Promise<{ ok: boolean; error?: string; team_id?: string }> {
  const response = await fetch(new URL(method, apiUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    signal: AbortSignal.timeout(SLACK_CALL_TIMEOUT_MS),
  });
  return (await response.json()) as { ok: boolean; error?: string; team_id?: string };
}

/** Revokes the configured bot token if it is this workspace's; says plainly what was and was not done. */
async function revokeBotToken(teamId: string): Promise<void> {
  const config = loadConfig();
  if (!config.ok) {
    const botTokenProblem = config.problems.some((problem) => problem.startsWith('SLACK_BOT_TOKEN'));
    process.stdout.write(
      botTokenProblem
        ? 'SLACK_BOT_TOKEN is not configured, so no token was revoked: remove the app in Slack to revoke it.\n'
        : `The configuration is incomplete (${config.problems.map((problem) => problem.split(' ')[0]).join(', ')}), so SLACK_BOT_TOKEN was not revoked: remove the app in Slack to revoke it.\n`,
    );
    return;
  }
  const { botToken, apiUrl } = config.config.slack;
  try {
    const identity = await callSlack(apiUrl, botToken, 'auth.test');
    if (!identity.ok) {
      process.stdout.write(`SLACK_BOT_TOKEN no longer works (${identity.error ?? 'unknown error'}): nothing to revoke.\n`);
      return;
    }
    if (identity.team_id !== teamId) {
      process.stdout.write(`SLACK_BOT_TOKEN belongs to workspace ${identity.team_id ?? 'unknown'}, not ${teamId}: it was left as it is.\n`);
      return;
    }
    const revoked = await callSlack(apiUrl, botToken, 'auth.revoke');
    if (!revoked.ok) throw new Error(revoked.error ?? 'unknown error');
    process.stdout.write(`Revoked SLACK_BOT_TOKEN: Pulse can no longer read or post in ${teamId}.\n`);
  } catch (error) {
    process.stderr.write(`Could not revoke SLACK_BOT_TOKEN (${error instanceof Error ? error.message : String(error)}): remove the app in Slack to revoke it.\n`);
    process.exitCode = 1;
  }
}
