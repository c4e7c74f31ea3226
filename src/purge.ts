/**
 * `npm run purge [-- --team T…]`: deletes every stored analytics row and the
 * sync state of a workspace (every workspace in the database without
 * --team), and pauses its sync, as App Home's "Delete all analytics data"
 * does. Stop Pulse first, or it may sync again on its schedule.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadDatabasePath } from './config.ts';
import { ANALYTICS_TABLES, createAnalyticsStore } from './db/analytics-store.ts';
import { openDatabase } from './db/open-database.ts';
import { createWorkspaceSettingsStore } from './db/workspace-settings-store.ts';
import { listWorkspaceIds } from './db/workspace-store.ts';
import { ANALYTICS_ENABLED_SETTING } from './settings/analytics-settings-service.ts';

const { values } = parseArgs({ options: { team: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  process.stdout.write('Usage: npm run purge [-- --team T0123ABCD]\nDeletes all analytics data (and pauses syncing) for one workspace, or for every workspace in DATABASE_PATH.\n');
  process.exit(0);
}
const path = loadDatabasePath();
if (path !== ':memory:' && !existsSync(path)) {
  process.stderr.write(`No database at ${path} (DATABASE_PATH): nothing to purge.\n`);
  process.exit(1);
}
const database = openDatabase(path);
try {
  const known = listWorkspaceIds(database.db);
  const teams = values.team ? [values.team] : known;
  if (values.team && !known.includes(values.team)) {
    process.stderr.write(`Workspace ${values.team} is not in ${path}. Known: ${known.join(', ') || 'none'}.\n`);
    process.exitCode = 1;
  } else {
    const analytics = createAnalyticsStore(database.db);
    const settings = createWorkspaceSettingsStore(database.db);
    for (const teamId of teams) {
      const before = analytics.rowCounts(teamId);
      analytics.purge(teamId);
      settings.setSetting(teamId, ANALYTICS_ENABLED_SETTING, 'false', 'npm run purge');
      const removed = ANALYTICS_TABLES.map((table) => `${table} ${before[table] ?? 0}`).join(', ');
      process.stdout.write(`${teamId}: deleted ${removed}. Syncing is paused until an admin resumes it in App Home.\n`);
    }
    if (teams.length === 0) process.stdout.write('No workspace in the database: nothing to purge.\n');
  }
} finally {
  database.close();
}
