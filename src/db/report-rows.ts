/** A reports row as SQLite returns it → a Report (JSON columns parsed). */
import type { Report, ReportDestination, ReportStatus, ReportWork } from '../reports/report-types.ts';

export interface ReportRow {
  id: string;
  team_id: string;
  owner_id: string;
  name: string;
  work: string;
  destination: string;
  cron: string;
  time_zone: string;
  schedule_description: string;
  status: ReportStatus;
  next_run_at: number | null;
  last_finished_at: number | null;
  last_ok: number | null;
  last_error: string | null;
  last_channel_id: string | null;
  last_message_ts: string | null;
  failure_notified: number;
  created_at: number;
  updated_at: number;
}

export function toReport(row: ReportRow): Report {
  return {
    id: row.id,
    teamId: row.team_id,
    ownerId: row.owner_id,
    name: row.name,
    work: JSON.parse(row.work) as ReportWork,
    destination: JSON.parse(row.destination) as ReportDestination,
    schedule: { cron: row.cron, timeZone: row.time_zone, description: row.schedule_description },
    status: row.status,
    nextRunAt: row.next_run_at,
    lastRun:
      row.last_finished_at === null
        ? null
        : {
            finishedAt: row.last_finished_at,
            ok: Boolean(row.last_ok),
            error: row.last_error,
            channelId: row.last_channel_id,
            messageTs: row.last_message_ts,
          },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
