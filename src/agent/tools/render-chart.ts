/** render_chart: a chart as a PNG image in the thread. Spec → render → deliver, three separate steps. */
import { buildChartConfiguration, chartArgumentsSchema, CHART_TYPES, describeChartForAltText, MAX_CHART_POINTS, MAX_CHART_SERIES } from '../../charts/chart-spec.ts';
import { renderChartPng } from '../../charts/render-chart.ts';
import { defineTool } from './pulse-tool.ts';
import { fileNameFor } from './share-table.ts';

export const renderChartTool = defineTool({
  name: 'render_chart',
  description: `Draw a chart (${CHART_TYPES.join(', ')}) and post it as an image in this thread. Give a title, category labels and one or more named series of numbers (scatter: x/y points). At most ${MAX_CHART_SERIES} series and ${MAX_CHART_POINTS} points per series.`,
  schema: chartArgumentsSchema,
  run: async (args, context) => {
    const configuration = buildChartConfiguration(args);
    const png = await renderChartPng(configuration);
    const altText = describeChartForAltText(args);
    await context.files.uploadFile({ bytes: png, filename: fileNameFor(args.title, 'png'), title: args.title, altText });
    return `The chart "${args.title}" is posted in the thread as an image (${altText}). Refer to it in your answer; do not describe how it was made.`;
  },
});
