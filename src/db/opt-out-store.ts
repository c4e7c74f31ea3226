/**
 * People who asked to be left out of people summaries, kept as one workspace
 * setting holding a JSON array of Slack user ids (no table of its own: the
 * list is short and read with the settings cache).
 */
import type { WorkspaceSettingsStore } from './workspace-settings-store.ts';

export const PEOPLE_SUMMARY_OPT_OUTS_SETTING = 'people_summary_opt_outs';

export interface PeopleSummaryOptOuts {
  /** Slack user ids who opted out. */
  list(teamId: string): string[];
  /** Adds or removes one person; returns whether they are opted out now. */
  set(teamId: string, userId: string, optedOut: boolean): boolean;
}

export function createPeopleSummaryOptOuts(store: Pick<WorkspaceSettingsStore, 'getSetting' | 'setSetting' | 'deleteSetting'>): PeopleSummaryOptOuts {
  const list = (teamId: string): string[] => {
    const raw = store.getSetting(teamId, PEOPLE_SUMMARY_OPT_OUTS_SETTING);
    if (!raw) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
    } catch {
      // A damaged value must not hide anyone's choice silently: treat it as empty and let the next write repair it.
      return [];
    }
  };
  return {
    list,
    set(teamId, userId, optedOut) {
      const ids = new Set(list(teamId));
      if (optedOut) ids.add(userId);
      else ids.delete(userId);
      if (ids.size === 0) store.deleteSetting(teamId, PEOPLE_SUMMARY_OPT_OUTS_SETTING);
      else store.setSetting(teamId, PEOPLE_SUMMARY_OPT_OUTS_SETTING, JSON.stringify([...ids].sort()), userId);
      return optedOut;
    },
  };
}
