/** The workspaces Pulse serves, refreshed from auth.test at each start. */
import type { PulseDatabase } from './open-database.ts';
import { workspaces } from './schema.ts';

export function upsertWorkspace(
  db: PulseDatabase,
  workspace: { teamId: string; name: string | null; domain: string | null; botUserId: string; botId: string | null },
  now: Date = new Date(),
): void {
  db.insert(workspaces)
    .values({ ...workspace, firstSeenAt: now, updatedAt: now })
    .onConflictDoUpdate({
      target: workspaces.teamId,
      set: { name: workspace.name, domain: workspace.domain, botUserId: workspace.botUserId, botId: workspace.botId, updatedAt: now },
    })
    .run();
}

export function listWorkspaceIds(db: PulseDatabase): string[] {
  return db.select({ teamId: workspaces.teamId }).from(workspaces).all().map((row) => row.teamId);
}
