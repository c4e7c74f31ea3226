/** Reports the agent proposed, waiting for their asker's Confirm (src/reports/report-service.ts). */
import type { ReportProposal } from '../reports/report-types.ts';
import type { PulseDatabase } from './open-database.ts';

export function createReportProposalStore(db: PulseDatabase) {
  const sqlite = db.$client;
  return {
    save(proposal: ReportProposal): void {
      const { id, teamId, proposerId, createdAt, expiresAt, ...payload } = proposal;
      sqlite
        .prepare("INSERT INTO report_proposals (id, team_id, proposer_id, payload, state, created_at, expires_at) VALUES (?, ?, ?, ?, 'pending', ?, ?)")
        .run(id, teamId, proposerId, JSON.stringify(payload), createdAt, expiresAt);
    },

    get(teamId: string, id: string): (ReportProposal & { state: string; reportId: string | null }) | undefined {
      const row = sqlite.prepare('SELECT * FROM report_proposals WHERE team_id = ? AND id = ?').get(teamId, id) as
        | { id: string; team_id: string; proposer_id: string; payload: string; state: string; report_id: string | null; created_at: number; expires_at: number }
        | undefined;
      if (!row) return undefined;
      const payload = JSON.parse(row.payload) as Pick<ReportProposal, 'name' | 'work' | 'destination' | 'schedule'>;
      return {
        ...payload,
        id: row.id,
        teamId: row.team_id,
        proposerId: row.proposer_id,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        state: row.state,
        reportId: row.report_id,
      };
    },

    /** Marks a pending proposal resolved; false when it already was (a double click creates one report). */
    resolve(teamId: string, id: string, state: 'created' | 'cancelled', reportId: string | null): boolean {
      return (
        sqlite
          .prepare("UPDATE report_proposals SET state = ?, report_id = ? WHERE team_id = ? AND id = ? AND state = 'pending'")
          .run(state, reportId, teamId, id).changes > 0
      );
    },

  };
}

export type ReportProposalStore = ReturnType<typeof createReportProposalStore>;
