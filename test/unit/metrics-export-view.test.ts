/** The export's Block Kit: the admin Home tab's button and the date-range modal (pure builders). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ANALYTICS_SETTINGS } from '../../src/analytics/analytics-settings.ts';
import { buildAnalyticsSection, buildMetricsExportModal, METRICS_EXPORT_IDS } from '../../src/slack/views/analytics-home.ts';

describe('the metrics export view', () => {
  it("puts an Export metrics (CSV) button in the admin Home tab's analytics section", () => {
    const blocks = buildAnalyticsSection({
      settings: DEFAULT_ANALYTICS_SETTINGS,
      channels: [],
      progress: undefined,
      lastSync: undefined,
      schedule: undefined,
      notice: undefined,
    }) as { type: string; text?: { text: string }; accessory?: { action_id: string; text: { text: string } } }[];
    const exportSection = blocks.find((block) => block.accessory?.action_id === METRICS_EXPORT_IDS.action.open);
    expect(exportSection?.accessory?.text.text).toBe('Export metrics (CSV)');
    expect(exportSection?.text?.text).toMatch(/CSV files sent to your DM/);
  });

  it('asks for a start and an end date, filled with the default range, and states the retention limit', () => {
    const modal = buildMetricsExportModal({ from: '2024-02-15', to: '2024-03-15', retentionDays: 365 });
    expect(modal.callback_id).toBe(METRICS_EXPORT_IDS.view);
    const inputs = modal.blocks.filter((block) => block.type === 'input') as {
      block_id: string;
      element: { type: string; action_id: string; initial_date?: string };
      hint: { text: string };
    }[];
    expect(inputs.map((input) => [input.block_id, input.element.type, input.element.action_id, input.element.initial_date])).toEqual([
      [METRICS_EXPORT_IDS.block.from, 'datepicker', METRICS_EXPORT_IDS.action.fromInput, '2024-02-15'],
      [METRICS_EXPORT_IDS.block.to, 'datepicker', METRICS_EXPORT_IDS.action.toInput, '2024-03-15'],
    ]);
    expect(inputs[1]?.hint.text).toMatch(/At most 365 days/);
    expect(JSON.stringify(modal)).toMatch(/Message text is never exported/);
  });
});
