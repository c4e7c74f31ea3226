/** Per-workspace settings (model, budgets), secrets (sealed) and welcomes. */
import { and, eq } from 'drizzle-orm';
import type { PulseDatabase } from './open-database.ts';
import { welcomedUsers, workspaceSecrets, workspaceSettings } from './schema.ts';

export type SecretRecord = typeof workspaceSecrets.$inferSelect;

export function createWorkspaceSettingsStore(db: PulseDatabase, now: () => Date = () => new Date()) {
  // Settings are read on every answer and written rarely: reads come from memory, writes go through.
  const settingCache = new Map<string, string | undefined>();
  const welcomed = new Set<string>();
  return {
    getSetting(teamId: string, key: string): string | undefined {
      const cacheKey = `${teamId}\u0000${key}`;
      if (!settingCache.has(cacheKey)) {
        const row = db
          .select({ value: workspaceSettings.value })
          .from(workspaceSettings)
          .where(and(eq(workspaceSettings.teamId, teamId), eq(workspaceSettings.key, key)))
          .get();
        settingCache.set(cacheKey, row?.value);
      }
      return settingCache.get(cacheKey);
    },

    setSetting(teamId: string, key: string, value: string, updatedBy: string): void {
      settingCache.delete(`${teamId}\u0000${key}`);
      db.insert(workspaceSettings)
        .values({ teamId, key, value, updatedBy, updatedAt: now() })
        .onConflictDoUpdate({
          target: [workspaceSettings.teamId, workspaceSettings.key],
          set: { value, updatedBy, updatedAt: now() },
        })
        .run();
    },

    deleteSetting(teamId: string, key: string): void {
      settingCache.delete(`${teamId}\u0000${key}`);
      db.delete(workspaceSettings)
        .where(and(eq(workspaceSettings.teamId, teamId), eq(workspaceSettings.key, key)))
        .run();
    },

    getSecret(teamId: string, name: string): SecretRecord | undefined {
      return db
        .select()
        .from(workspaceSecrets)
        .where(and(eq(workspaceSecrets.teamId, teamId), eq(workspaceSecrets.name, name)))
        .get();
    },

    /** Stores a sealed secret, overwriting (and so destroying) any previous ciphertext. */
    putSecret(secret: Omit<SecretRecord, 'setAt'>): void {
      db.insert(workspaceSecrets)
        .values({ ...secret, setAt: now() })
        .onConflictDoUpdate({
          target: [workspaceSecrets.teamId, workspaceSecrets.name],
          set: { ciphertext: secret.ciphertext, last4: secret.last4, setBy: secret.setBy, setAt: now() },
        })
        .run();
    },

    deleteSecret(teamId: string, name: string): boolean {
      const result = db
        .delete(workspaceSecrets)
        .where(and(eq(workspaceSecrets.teamId, teamId), eq(workspaceSecrets.name, name)))
        .run();
      return result.changes > 0;
    },

    /** True the first time for a person, false ever after. */
    markWelcomed(teamId: string, userId: string): boolean {
      // Every DM asks; only the first per person reaches the database.
      const key = `${teamId}\u0000${userId}`;
      if (welcomed.has(key)) return false;
      welcomed.add(key);
      const result = db.insert(welcomedUsers).values({ teamId, userId, welcomedAt: now() }).onConflictDoNothing().run();
      return result.changes > 0;
    },
  };
}

export type WorkspaceSettingsStore = ReturnType<typeof createWorkspaceSettingsStore>;
