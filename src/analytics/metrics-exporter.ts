/**
 * Metrics exports for one asker: admins only (never in answers posted for
 * others), over the same access scope and metric queries as
 * workspace_metrics (WorkspaceMetrics.scope), delivered as two CSV files in
 * the asker's DM. The tables and files themselves are built in
 * metrics-export.ts.
 */
import type { AnalyticsQueries } from '../db/analytics-queries.ts';
import type { AnalyticsSettings } from './analytics-settings.ts';
import {
  buildExportTables,
  defaultExportRange,
  deliverMetricsExport,
  EXPORT_ADMINS_ONLY,
  resolveExportRange,
  type MetricsExportReceipt,
  type MetricsExportSlack,
  type MetricsExportTables,
} from './metrics-export.ts';
import type { AnalyticsAccess, Asker, Refusal, WorkspaceMetrics } from './workspace-metrics.ts';

export interface MetricsExporterDependencies {
  /** The asker's access scope, the same one workspace_metrics applies. */
  metrics: Pick<WorkspaceMetrics, 'scope'>;
  queries: AnalyticsQueries;
  settings: (teamId: string) => AnalyticsSettings;
  access: Pick<AnalyticsAccess, 'isAdmin'>;
  /** Names, emails and DM delivery. */
  slack: MetricsExportSlack;
  now?: () => Date;
}

export class MetricsExporter {
  private readonly now: () => Date;

  constructor(private readonly deps: MetricsExporterDependencies) {
    this.now = deps.now ?? (() => new Date());
  }

  /** The per-person and per-channel tables, every additive signal grouped by person or channel. */
  async exportTables(asker: Asker, request: { from?: string; to?: string }): Promise<Refusal | MetricsExportTables> {
    if (asker.audience || !(await this.deps.access.isAdmin(asker.teamId, asker.userId))) return { refused: EXPORT_ADMINS_ONLY };
    const settings = this.deps.settings(asker.teamId);
    const range = resolveExportRange(request, this.now(), settings.retentionDays);
    if ('refused' in range) return range;
    const scope = await this.deps.metrics.scope(asker, range, true);
    if ('refused' in scope) return scope;
    const base = { teamId: asker.teamId, channelIds: scope.channelIds, fromDay: scope.fromDay, toDay: scope.toDay };
    return buildExportTables((metric, groupBy) => this.deps.queries.metric({ ...base, metric, groupBy }), {
      ...range,
      pseudonymized: settings.pseudonymize,
      channelIds: scope.channelIds,
      channelNames: scope.channelNames,
      notes: scope.notes,
    });
  }

  /** What the export form starts from: the default range and the longest range allowed (the retention window). */
  exportDefaults(teamId: string): { from: string; to: string; retentionDays: number } {
    const { retentionDays } = this.deps.settings(teamId);
    return { ...defaultExportRange(this.now(), retentionDays), retentionDays };
  }

  /** Exports the tables as two CSV files into the asker's DM with Pulse. */
  async exportToDm(asker: Asker, request: { from?: string; to?: string }): Promise<Refusal | MetricsExportReceipt> {
    const tables = await this.exportTables(asker, request);
    if ('refused' in tables) return tables;
    return deliverMetricsExport(asker, tables, this.deps.slack);
  }
}
