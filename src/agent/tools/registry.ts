/** Every tool the agent has. Adding a tool is one file and one line here. */
import { collaborationEvidenceTool } from './collaboration-evidence.ts';
import { currentTimeTool } from './current-time.ts';
import { exportMetricsTool } from './export-metrics.ts';
import { findPersonTool } from './find-person.ts';
import { listChannelsTool } from './list-channels.ts';
import { peopleSummaryOptOutTool } from './people-summary-opt-out.ts';
import { proposeReportTool } from './propose-report.ts';
import type { PulseTool } from './pulse-tool.ts';
import { renderChartTool } from './render-chart.ts';
import { shareTableTool } from './share-table.ts';
import { topThreadsTool } from './top-threads.ts';
import { workspaceMetricsTool } from './workspace-metrics.ts';

export const PULSE_TOOLS: readonly PulseTool[] = [
  renderChartTool,
  shareTableTool,
  currentTimeTool,
  workspaceMetricsTool,
  topThreadsTool,
  listChannelsTool,
  findPersonTool,
  proposeReportTool,
  exportMetricsTool,
  collaborationEvidenceTool,
  peopleSummaryOptOutTool,
] as PulseTool[];
