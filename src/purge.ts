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
import { ErrorCode, LogLevel, WebClient } from '@slack/web-api';
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

/** Slack's own error code of a failed Web API call (invalid_auth, token_revoked…), if Slack answered. */
function slackErrorCode(error: unknown): string | undefined {
  const platform = error as { code?: string; data?: { error?: string } };
  return platform.code === ErrorCode.PlatformError ? platform.data?.error : undefined;
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
  // The command says what happened itself; the client's own log lines would repeat it.
  const client = new WebClient(botToken, { slackApiUrl: apiUrl, timeout: SLACK_CALL_TIMEOUT_MS, logLevel: LogLevel.ERROR, retryConfig: { retries: 2 } });
  let identityTeam: string | undefined;
  try {
    identityTeam = (await client.auth.test()).team_id;
  } catch (error) {
    const code = slackErrorCode(error);
    if (code) {
      process.stdout.write(`SLACK_BOT_TOKEN no longer works (${code}): nothing to revoke.\n`);
      return;
    }
    failToRevoke(error);
    return;
  }
  if (identityTeam !== teamId) {
    process.stdout.write(`SLACK_BOT_TOKEN belongs to workspace ${identityTeam ?? 'unknown'}, not ${teamId}: it was left as it is.\n`);
    return;
  }
  try {
    await client.auth.revoke();
    process.stdout.write(`Revoked SLACK_BOT_TOKEN: Pulse can no longer read or post in ${teamId}.\n`);
  } catch (error) {
    failToRevoke(error);
  }
}

function failToRevoke(error: unknown): void {
  const reason = slackErrorCode(error) ?? (error instanceof Error ? error.message : String(error));
  process.stderr.write(`Could not revoke SLACK_BOT_TOKEN (${reason}): remove the app in Slack to revoke it.\n`);
  process.exitCode = 1;
}
