/** Every tool the agent has. Adding a tool is one file and one line here. */
import { currentTimeTool } from './current-time.ts';
import type { PulseTool } from './pulse-tool.ts';
import { renderChartTool } from './render-chart.ts';
import { shareTableTool } from './share-table.ts';

export const PULSE_TOOLS: readonly PulseTool[] = [renderChartTool, shareTableTool, currentTimeTool] as PulseTool[];
