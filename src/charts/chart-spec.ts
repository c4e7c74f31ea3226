/**
 * Chart spec: the render_chart tool's arguments → a chart.js configuration.
 * Pure (types only from chart.js, nothing from canvas), so every styling and
 * formatting decision is unit tested without drawing. Rendering is
 * render-chart.ts; delivery is the caller's.
 */
import type { ChartConfiguration, ChartDataset, ChartOptions } from 'chart.js';
import { isPieType, type ChartArguments, type ChartType, type ValueFormat } from './chart-arguments.ts';
import {
  AREA_FILL_ALPHA,
  AXIS_LINE_COLOUR,
  CHART_BACKGROUND,
  CHART_PLUGINS,
  GRID_COLOUR,
  paletteColour,
  TEXT_COLOUR,
  TITLE_COLOUR,
  withAlpha,
} from './chart-style.ts';
import { formatChartValue, formatShare, truncateLabel } from './format-chart-text.ts';

export {
  CHART_TYPES,
  MAX_CHART_POINTS,
  MAX_CHART_SERIES,
  MAX_CHART_TEXT_LENGTH,
  MAX_PIE_SLICES,
  VALUE_FORMATS,
  chartArgumentsSchema,
  type ChartArguments,
  type ChartSeries,
  type ChartType,
  type ValueFormat,
} from './chart-arguments.ts';
export { CHART_BACKGROUND, CHART_PALETTE, CHART_PLUGINS, whiteBackgroundPlugin } from './chart-style.ts';
export { formatChartValue, truncateLabel } from './format-chart-text.ts';

/** Category labels on an axis: longer ones collide or push the plot aside at 1200 px. */
export const MAX_AXIS_LABEL_CHARS = 24;
/** Series names and pie labels in the legend: room for a channel or person name, not a sentence. */
export const MAX_LEGEND_LABEL_CHARS = 36;
/** Title: about what fits on one line at the title's size on a 1200 px wide chart. */
export const MAX_TITLE_CHARS = 90;
/** Points drawn as dots on a line up to this count; past it the dots merge into a thick smudge. */
const MAX_LINE_POINTS_WITH_DOTS = 60;

/** One axis of a cartesian chart, as chart options take it (deeply partial). */
type AxisOptions = NonNullable<ChartOptions<'bar' | 'line' | 'scatter'>['scales']>[string];

interface Formatting {
  format: ValueFormat;
  currencyCode: string;
}

function formattingOf(args: ChartArguments): Formatting {
  return { format: args.value_format ?? 'number', currencyCode: args.currency_code ?? 'USD' };
}

/** A tick callback for a value axis: chart.js passes numbers for linear scales. */
function valueTickFormatter({ format, currencyCode }: Formatting): (value: number | string) => string {
  return (value) => (typeof value === 'number' ? formatChartValue(value, format, currencyCode) : value);
}

function axisTitle(text: string | undefined) {
  const shown = text?.trim() ?? '';
  return {
    display: shown !== '',
    text: truncateLabel(shown, MAX_TITLE_CHARS),
    color: TEXT_COLOUR,
    font: { size: 15, weight: 600 as const },
    padding: { top: 10, bottom: 6 },
  };
}

function categoryAxis(title: string | undefined, stacked: boolean): AxisOptions {
  return {
    type: 'category',
    stacked,
    title: axisTitle(title),
    grid: { display: false },
    border: { color: AXIS_LINE_COLOUR },
    ticks: { color: TEXT_COLOUR, font: { size: 14 }, autoSkip: true, maxRotation: 45, padding: 6 },
  };
}

function valueAxis(title: string | undefined, formatting: Formatting, options: { stacked: boolean; beginAtZero: boolean }): AxisOptions {
  return {
    type: 'linear',
    stacked: options.stacked,
    beginAtZero: options.beginAtZero,
    // Headroom above the tallest bar; only from zero, where it can't push the axis below zero.
    ...(options.beginAtZero ? { grace: '5%' } : {}),
    title: axisTitle(title),
    grid: { color: GRID_COLOUR },
    border: { display: false },
    ticks: { color: TEXT_COLOUR, font: { size: 14 }, maxTicksLimit: 8, padding: 8, callback: valueTickFormatter(formatting) },
  };
}

function baseOptions(args: ChartArguments, showLegend: boolean): ChartOptions {
  return {
    responsive: false,
    animation: false,
    color: TEXT_COLOUR,
    layout: { padding: { top: 20, right: 32, bottom: 20, left: 24 } },
    plugins: {
      title: {
        display: true,
        text: truncateLabel(args.title, MAX_TITLE_CHARS),
        align: 'start',
        color: TITLE_COLOUR,
        font: { size: 24, weight: 600 },
        padding: { top: 0, bottom: showLegend ? 8 : 20 },
      },
      legend: {
        display: showLegend,
        position: 'top',
        align: 'start',
        labels: { color: TEXT_COLOUR, font: { size: 15 }, boxWidth: 16, boxHeight: 16, padding: 18 },
      },
      // A PNG has no hover: tooltips would only cost drawing time.
      tooltip: { enabled: false },
    },
  };
}

function seriesName(name: string): string {
  return truncateLabel(name, MAX_LEGEND_LABEL_CHARS);
}

function axisLabels(args: ChartArguments): string[] {
  return (args.labels ?? []).map((label) => truncateLabel(label, MAX_AXIS_LABEL_CHARS));
}

function buildBarConfiguration(args: ChartArguments): ChartConfiguration {
  const horizontal = args.type === 'horizontal_bar';
  const stacked = args.type === 'stacked_bar';
  const formatting = formattingOf(args);
  const categories = categoryAxis(args.x_label, stacked);
  const values = valueAxis(args.y_label, formatting, { stacked, beginAtZero: true });
  const datasets: ChartDataset<'bar'>[] = args.series.map((series, index) => ({
    label: seriesName(series.name),
    data: series.values ?? [],
    backgroundColor: paletteColour(index),
    borderRadius: stacked ? 0 : 3,
    // A hairline of background between stacked segments keeps neighbours apart even where colours look alike.
    ...(stacked ? { borderColor: CHART_BACKGROUND, borderWidth: 1 } : {}),
    maxBarThickness: 64,
    categoryPercentage: 0.75,
    barPercentage: 0.9,
  }));
  const options = baseOptions(args, args.series.length > 1) as ChartOptions<'bar'>;
  options.indexAxis = horizontal ? 'y' : 'x';
  options.scales = horizontal ? { x: values, y: categories } : { x: categories, y: values };
  return { type: 'bar', data: { labels: axisLabels(args), datasets }, options, plugins: CHART_PLUGINS } as ChartConfiguration;
}

function buildLineConfiguration(args: ChartArguments): ChartConfiguration {
  const area = args.type === 'area';
  const formatting = formattingOf(args);
  const pointCount = args.labels?.length ?? 0;
  const datasets: ChartDataset<'line'>[] = args.series.map((series, index) => ({
    label: seriesName(series.name),
    data: series.values ?? [],
    borderColor: paletteColour(index),
    backgroundColor: area ? withAlpha(paletteColour(index), AREA_FILL_ALPHA) : paletteColour(index),
    pointBackgroundColor: paletteColour(index),
    borderWidth: 3,
    pointRadius: pointCount <= MAX_LINE_POINTS_WITH_DOTS ? 3.5 : 0,
    tension: 0,
    fill: area ? 'origin' : false,
  }));
  const options = baseOptions(args, args.series.length > 1) as ChartOptions<'line'>;
  // Every area's fill first, then every line: otherwise one series' fill veils the lines drawn before it.
  if (area && options.plugins) options.plugins.filler = { propagate: false, drawTime: 'beforeDatasetsDraw' };
  options.scales = {
    x: categoryAxis(args.x_label, false),
    // Lines show change, so their axis may start above zero; an area's size is its meaning, so it starts at zero.
    y: valueAxis(args.y_label, formatting, { stacked: false, beginAtZero: area }),
  };
  return { type: 'line', data: { labels: axisLabels(args), datasets }, options, plugins: CHART_PLUGINS } as ChartConfiguration;
}

function buildPieConfiguration(args: ChartArguments, type: 'pie' | 'doughnut'): ChartConfiguration {
  const formatting = formattingOf(args);
  const series = args.series[0];
  const values = series?.values ?? [];
  const total = values.reduce((sum, value) => sum + value, 0);
  // No tooltips in a PNG, so each legend entry carries its value (and its share, unless the values are percentages already).
  const labels = (args.labels ?? []).map((label, index) => {
    const value = values[index] ?? 0;
    const amount = formatChartValue(value, formatting.format, formatting.currencyCode);
    const share = formatting.format === 'percent' || total <= 0 ? '' : ` (${formatShare(value / total)})`;
    return `${truncateLabel(label, MAX_LEGEND_LABEL_CHARS)} — ${amount}${share}`;
  });
  const dataset: ChartDataset<'pie' | 'doughnut'> = {
    label: seriesName(series?.name ?? ''),
    data: values,
    backgroundColor: values.map((_, index) => paletteColour(index)),
    borderColor: CHART_BACKGROUND,
    borderWidth: 2,
  };
  const options = baseOptions(args, true) as ChartOptions<'pie' | 'doughnut'>;
  const legend = options.plugins?.legend;
  if (legend) {
    legend.position = 'right';
    legend.align = 'center';
  }
  if (type === 'doughnut') (options as ChartOptions<'doughnut'>).cutout = '55%';
  return { type, data: { labels, datasets: [dataset] }, options, plugins: CHART_PLUGINS } as ChartConfiguration;
}

function buildScatterConfiguration(args: ChartArguments): ChartConfiguration {
  const formatting = formattingOf(args);
  const datasets: ChartDataset<'scatter'>[] = args.series.map((series, index) => ({
    label: seriesName(series.name),
    data: series.points ?? [],
    backgroundColor: withAlpha(paletteColour(index), 0.75),
    borderColor: paletteColour(index),
    borderWidth: 1,
    pointRadius: 5,
  }));
  const options = baseOptions(args, args.series.length > 1) as ChartOptions<'scatter'>;
  const x = valueAxis(args.x_label, { format: 'number', currencyCode: formatting.currencyCode }, { stacked: false, beginAtZero: false });
  options.scales = {
    x: { ...x, border: { color: AXIS_LINE_COLOUR } },
    y: valueAxis(args.y_label, formatting, { stacked: false, beginAtZero: false }),
  };
  return { type: 'scatter', data: { datasets }, options, plugins: CHART_PLUGINS } as ChartConfiguration;
}

/** The chart.js configuration for validated tool arguments (parse them with chartArgumentsSchema first). */
export function buildChartConfiguration(args: ChartArguments): ChartConfiguration {
  switch (args.type) {
    case 'bar':
    case 'horizontal_bar':
    case 'stacked_bar':
      return buildBarConfiguration(args);
    case 'line':
    case 'area':
      return buildLineConfiguration(args);
    case 'pie':
    case 'doughnut':
      return buildPieConfiguration(args, args.type);
    case 'scatter':
      return buildScatterConfiguration(args);
  }
}

const TYPE_NAMES: Record<ChartType, string> = {
  bar: 'Bar chart',
  horizontal_bar: 'Horizontal bar chart',
  stacked_bar: 'Stacked bar chart',
  line: 'Line chart',
  area: 'Area chart',
  pie: 'Pie chart',
  doughnut: 'Doughnut chart',
  scatter: 'Scatter plot',
};

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Alt text for the uploaded image, e.g. "Bar chart: Deploys per week — 2 series over 12 labels". */
export function describeChartForAltText(args: ChartArguments): string {
  const what = `${TYPE_NAMES[args.type]}: ${truncateLabel(args.title, MAX_TITLE_CHARS)}`;
  if (isPieType(args.type)) return `${what} — ${plural(args.labels?.length ?? 0, 'slice')}`;
  if (args.type === 'scatter') {
    const points = args.series.reduce((sum, series) => sum + (series.points?.length ?? 0), 0);
    return `${what} — ${args.series.length} series with ${plural(points, 'point')}`;
  }
  return `${what} — ${args.series.length} series over ${plural(args.labels?.length ?? 0, 'label')}`;
}
