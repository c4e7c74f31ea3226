import type { Plugin } from 'chart.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  buildChartConfiguration,
  CHART_BACKGROUND,
  CHART_PALETTE,
  CHART_TYPES,
  chartArgumentsSchema,
  describeChartForAltText,
  formatChartValue,
  MAX_AXIS_LABEL_CHARS,
  MAX_CHART_POINTS,
  MAX_CHART_SERIES,
  MAX_LEGEND_LABEL_CHARS,
  MAX_PIE_SLICES,
  truncateLabel,
  type ChartArguments,
  type ChartType,
} from '../../src/charts/chart-spec.ts';

// ---- small factories -------------------------------------------------------

function weekLabels(count: number): string[] {
  return Array.from({ length: count }, (_unused, index) => `Week ${index + 1}`);
}

function valuesFor(count: number, seed = 1): number[] {
  return Array.from({ length: count }, (_unused, index) => ((index + 1) * 137 * seed) % 1000);
}

/** A valid two-series chart of the given type (scatter gets points instead of labels). */
function chartArguments(type: ChartType = 'bar', overrides: Partial<ChartArguments> = {}): ChartArguments {
  if (type === 'scatter') {
    return {
      type,
      title: 'Replies vs. hours to resolve',
      x_label: 'Replies',
      y_label: 'Hours',
      series: [
        { name: 'Support', points: [{ x: 1, y: 2 }, { x: 3, y: 5 }] },
        { name: 'Engineering', points: [{ x: 2, y: 8 }] },
      ],
      ...overrides,
    };
  }
  if (type === 'pie' || type === 'doughnut') {
    return { type, title: 'Threads by channel', labels: ['#eng', '#support', '#random'], series: [{ name: 'Threads', values: [60, 30, 10] }], ...overrides };
  }
  const labels = weekLabels(12);
  return {
    type,
    title: 'Messages per week by channel',
    x_label: 'Week',
    y_label: 'Messages',
    labels,
    series: [
      { name: '#engineering', values: valuesFor(12, 1) },
      { name: '#support', values: valuesFor(12, 3) },
    ],
    ...overrides,
  };
}

/** The messages zod gives for input that fails, as the model reads them. */
function problemsWith(input: unknown): string[] {
  const result = chartArgumentsSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => issue.message);
}

// chart.js's option types are deep unions; the tests read the built configuration as plain data.
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function optionsOf(args: ChartArguments): Loose {
  return buildChartConfiguration(args).options as Loose;
}

function datasetsOf(args: ChartArguments): Loose[] {
  return buildChartConfiguration(args).data.datasets as Loose[];
}

/** Calls an axis's tick callback as chart.js does: (value, index, ticks). */
function tick(axis: Loose, value: number): string {
  return axis.ticks.callback.call(axis, value, 0, []);
}

// ---- validation ------------------------------------------------------------

describe('chartArgumentsSchema', () => {
  it('accepts a valid chart of every type', () => {
    for (const type of CHART_TYPES) expect(problemsWith(chartArguments(type)), type).toEqual([]);
  });

  it('rejects an unknown type and lists the types it takes', () => {
    const [message] = problemsWith({ ...chartArguments(), type: 'radar' });
    expect(message).toContain('type must be one of: bar, horizontal_bar, stacked_bar, line, area, pie, doughnut, scatter');
    expect(message).toContain('stacked_bar');
  });

  it('rejects a bar chart without labels, or with an empty list of them', () => {
    const { labels: _labels, ...withoutLabels } = chartArguments();
    for (const input of [withoutLabels, chartArguments('bar', { labels: [] })]) {
      expect(problemsWith(input).join('\n')).toContain('a bar chart needs "labels": at least one category label');
    }
  });

  it('rejects a series whose number of values differs from the labels, naming the series and both counts', () => {
    const args = chartArguments('line', { series: [{ name: '#engineering', values: [1, 2, 3] }] });
    expect(problemsWith(args)).toEqual([
      'series "#engineering" has 3 values but there are 12 labels; give exactly one value per label, in label order',
    ]);
  });

  it('rejects more series than the cap and says the cap', () => {
    const series = Array.from({ length: MAX_CHART_SERIES + 1 }, (_unused, index) => ({ name: `s${index}`, values: valuesFor(12) }));
    const [message] = problemsWith(chartArguments('bar', { series }));
    expect(message).toContain(`at most ${MAX_CHART_SERIES} series fit in one chart`);
    expect(message).toContain('"Other"');
  });

  it('rejects more labels or values than the cap and says the cap', () => {
    const count = MAX_CHART_POINTS + 1;
    const problems = problemsWith(chartArguments('line', { labels: weekLabels(count), series: [{ name: 'Messages', values: valuesFor(count) }] }));
    expect(problems).toContain(`at most ${MAX_CHART_POINTS} labels fit in one chart; aggregate (e.g. weeks instead of days) or keep the top ones`);
    expect(problems).toContain(`a series can have at most ${MAX_CHART_POINTS} values; aggregate (e.g. weeks instead of days) or keep the top ones`);
  });

  it('rejects more scatter points than the cap and says the cap', () => {
    const points = Array.from({ length: MAX_CHART_POINTS + 1 }, (_unused, index) => ({ x: index, y: index }));
    expect(problemsWith(chartArguments('scatter', { series: [{ name: 'All', points }] }))).toEqual([
      `a scatter series can have at most ${MAX_CHART_POINTS} points; sample or aggregate them`,
    ]);
  });

  it('rejects a pie or doughnut chart with more than one series and suggests a bar chart', () => {
    for (const type of ['pie', 'doughnut'] as const) {
      const args = chartArguments(type, { series: [{ name: 'A', values: [1, 2, 3] }, { name: 'B', values: [3, 2, 1] }] });
      expect(problemsWith(args)).toEqual([`a ${type} chart shows exactly one series, but 2 were given; use stacked_bar or bar to compare several series`]);
    }
  });

  it('rejects a pie with more slices than the cap, negative values, or nothing to divide', () => {
    const labels = weekLabels(MAX_PIE_SLICES + 1);
    expect(problemsWith(chartArguments('pie', { labels, series: [{ name: 'A', values: valuesFor(labels.length) }] })).join('\n')).toContain(
      `a pie chart can have at most ${MAX_PIE_SLICES} slices, but ${MAX_PIE_SLICES + 1} labels were given`,
    );
    expect(problemsWith(chartArguments('pie', { series: [{ name: 'A', values: [5, -1, 2] }] }))).toEqual([
      'pie values must be zero or more; use bar for data with negative numbers',
    ]);
    expect(problemsWith(chartArguments('pie', { series: [{ name: 'A', values: [0, 0, 0] }] }))).toEqual(['pie values must add up to more than zero']);
  });

  it('rejects values that are not finite numbers, saying what to send instead', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '12', null]) {
      const values = [...valuesFor(11), bad];
      const [message] = problemsWith(chartArguments('bar', { series: [{ name: 'A', values: values as number[] }] }));
      expect(message, String(bad)).toMatch(/^must be a finite number such as 1234 or 0\.5 .*use 0 or leave the label out/);
    }
    const [pointMessage] = problemsWith(chartArguments('scatter', { series: [{ name: 'A', points: [{ x: 1, y: Number.NaN }] }] }));
    expect(pointMessage).toContain('must be a finite number');
  });

  it('rejects a scatter series without points and a bar series without values', () => {
    expect(problemsWith(chartArguments('scatter', { series: [{ name: 'A', values: [1, 2] }] }))).toEqual([
      'scatter series "A" needs "points": [{"x": …, "y": …}, …] (scatter charts do not use values)',
    ]);
    expect(problemsWith(chartArguments('bar', { series: [{ name: 'A', points: [{ x: 1, y: 1 }] }] }))).toEqual([
      'series "A" needs "values": one number per label (only scatter series use points)',
    ]);
  });

  it('describes every field for the model in the JSON Schema it is sent', () => {
    const undescribed: string[] = [];
    const visit = (schema: Loose, path: string) => {
      for (const [name, property] of Object.entries<Loose>(schema.properties ?? {})) {
        if (!property.description) undescribed.push(`${path}${name}`);
        visit(property, `${path}${name}.`);
        if (property.items) visit(property.items, `${path}${name}[].`);
      }
    };
    visit(z.toJSONSchema(chartArgumentsSchema) as Loose, '');
    expect(undescribed).toEqual([]);
  });
});

// ---- chart.js configuration --------------------------------------------------

describe('buildChartConfiguration', () => {
  it('builds a vertical bar chart with category labels across and values up from zero', () => {
    const configuration = buildChartConfiguration(chartArguments('bar'));
    const options = configuration.options as Loose;
    expect(configuration.type).toBe('bar');
    expect(configuration.data.labels).toEqual(weekLabels(12));
    expect(options.indexAxis).toBe('x');
    expect(options.scales.x.type).toBe('category');
    expect(options.scales.y).toMatchObject({ type: 'linear', beginAtZero: true, stacked: false });
  });

  it('builds a horizontal bar chart on the y index axis, with the value axis along x', () => {
    const options = optionsOf(chartArguments('horizontal_bar'));
    expect(options.indexAxis).toBe('y');
    expect(options.scales.x.type).toBe('linear');
    expect(options.scales.y.type).toBe('category');
    expect(options.scales.x.title.text).toBe('Messages');
    expect(options.scales.y.title.text).toBe('Week');
  });

  it('stacks both axes of a stacked bar chart', () => {
    const options = optionsOf(chartArguments('stacked_bar'));
    expect(options.scales.x.stacked).toBe(true);
    expect(options.scales.y.stacked).toBe(true);
  });

  it('draws a line chart as unfilled lines and an area chart filled to the axis', () => {
    const line = buildChartConfiguration(chartArguments('line'));
    expect(line.type).toBe('line');
    expect((line.data.datasets as Loose[]).map((dataset) => dataset.fill)).toEqual([false, false]);
    const area = buildChartConfiguration(chartArguments('area'));
    expect(area.type).toBe('line');
    const areaDatasets = area.data.datasets as Loose[];
    expect(areaDatasets.map((dataset) => dataset.fill)).toEqual(['origin', 'origin']);
    expect(areaDatasets[0]?.backgroundColor).toMatch(/^rgba\(0, 114, 178, 0\.\d+\)$/);
    expect((area.options as Loose).scales.y.beginAtZero).toBe(true);
  });

  it('gives pie and doughnut charts no axes, a colour per slice and the value and share in the legend', () => {
    for (const type of ['pie', 'doughnut'] as const) {
      const configuration = buildChartConfiguration(chartArguments(type));
      const options = configuration.options as Loose;
      expect(configuration.type).toBe(type);
      expect(options.scales).toBeUndefined();
      expect(options.plugins.legend).toMatchObject({ display: true, position: 'right' });
      expect(configuration.data.labels).toEqual(['#eng — 60 (60%)', '#support — 30 (30%)', '#random — 10 (10%)']);
      expect((configuration.data.datasets[0] as Loose).backgroundColor).toEqual(CHART_PALETTE.slice(0, 3));
    }
    expect(optionsOf(chartArguments('doughnut')).cutout).toBe('55%');
  });

  it('shows percentages in a pie legend once, when the values are percentages already', () => {
    const configuration = buildChartConfiguration(chartArguments('pie', { value_format: 'percent', series: [{ name: 'Share', values: [62.5, 25, 12.5] }] }));
    expect(configuration.data.labels).toEqual(['#eng — 62.5%', '#support — 25%', '#random — 12.5%']);
  });

  it('plots scatter points on two numeric axes without category labels', () => {
    const configuration = buildChartConfiguration(chartArguments('scatter'));
    const options = configuration.options as Loose;
    expect(configuration.type).toBe('scatter');
    expect(configuration.data.labels).toBeUndefined();
    expect(configuration.data.datasets[0]?.data).toEqual([{ x: 1, y: 2 }, { x: 3, y: 5 }]);
    expect(options.scales.x).toMatchObject({ type: 'linear', title: { display: true, text: 'Replies' } });
    expect(options.scales.y).toMatchObject({ type: 'linear', title: { display: true, text: 'Hours' } });
  });

  it('colours series with distinct colours from the colour-blind-safe palette, in palette order', () => {
    const series = Array.from({ length: MAX_CHART_SERIES }, (_unused, index) => ({ name: `s${index}`, values: valuesFor(12, index + 1) }));
    const colours = datasetsOf(chartArguments('bar', { series })).map((dataset) => dataset.backgroundColor);
    expect(new Set(colours).size).toBe(MAX_CHART_SERIES);
    expect(colours).toEqual([...CHART_PALETTE]);
    // Okabe–Ito: the eight colours of Okabe & Ito's "Color Universal Design".
    expect([...CHART_PALETTE].sort()).toEqual(['#000000', '#0072B2', '#009E73', '#56B4E9', '#CC79A7', '#D55E00', '#E69F00', '#F0E442']);
  });

  it('formats value-axis ticks with thousands separators, as percentages or as money', () => {
    expect(tick(optionsOf(chartArguments('bar')).scales.y, 1234567)).toBe('1,234,567');
    expect(tick(optionsOf(chartArguments('bar')).scales.y, 0.125)).toBe('0.13');
    expect(tick(optionsOf(chartArguments('line', { value_format: 'percent' })).scales.y, 42.5)).toBe('42.5%');
    expect(tick(optionsOf(chartArguments('horizontal_bar', { value_format: 'percent' })).scales.x, 80)).toBe('80%');
    expect(tick(optionsOf(chartArguments('bar', { value_format: 'currency' })).scales.y, 12000)).toBe('$12,000');
    expect(tick(optionsOf(chartArguments('bar', { value_format: 'currency', currency_code: 'EUR' })).scales.y, 1500.5)).toBe('€1,500.5');
    expect(tick(optionsOf(chartArguments('scatter', { value_format: 'percent' })).scales.x, 2500)).toBe('2,500');
  });

  it('truncates long category labels and series names with an ellipsis', () => {
    const longLabel = '#incident-response-2024-q2-payments-outage';
    const longName = 'Replies from people outside the team who answered in the first hour';
    const configuration = buildChartConfiguration(
      chartArguments('bar', { labels: [longLabel, 'short'], series: [{ name: longName, values: [1, 2] }] }),
    );
    const [label, short] = configuration.data.labels as string[];
    expect(label).toHaveLength(MAX_AXIS_LABEL_CHARS);
    expect(label?.endsWith('…')).toBe(true);
    expect(longLabel.startsWith((label ?? '').slice(0, -1))).toBe(true);
    expect(short).toBe('short');
    expect(configuration.data.datasets[0]?.label).toHaveLength(MAX_LEGEND_LABEL_CHARS);
  });

  it('shows the legend only when there is more than one series, and always for a pie', () => {
    expect(optionsOf(chartArguments('bar')).plugins.legend.display).toBe(true);
    expect(optionsOf(chartArguments('bar', { series: [{ name: 'Messages', values: valuesFor(12) }] })).plugins.legend.display).toBe(false);
    expect(optionsOf(chartArguments('pie')).plugins.legend.display).toBe(true);
  });

  it('titles the chart and its axes, and leaves out axis titles that were not given', () => {
    const options = optionsOf(chartArguments('bar', { y_label: undefined }));
    expect(options.plugins.title).toMatchObject({ display: true, text: 'Messages per week by channel' });
    expect(options.scales.x.title).toMatchObject({ display: true, text: 'Week' });
    expect(options.scales.y.title.display).toBe(false);
  });

  it('draws a still, fixed-size chart on a white background for every type', () => {
    for (const type of CHART_TYPES) {
      const configuration = buildChartConfiguration(chartArguments(type));
      expect(configuration.options, type).toMatchObject({ responsive: false, animation: false });
      const background = configuration.plugins?.find((plugin) => plugin.id === 'pulseWhiteBackground') as Plugin | undefined;
      expect(background, type).toBeDefined();
      const painted: string[] = [];
      const ctx = {
        save: () => undefined,
        restore: () => undefined,
        fillRect: (x: number, y: number, width: number, height: number) => painted.push(`${ctx.fillStyle} ${x},${y} ${width}×${height}`),
        fillStyle: '',
        globalCompositeOperation: '',
      };
      background?.beforeDraw?.({ ctx, width: 1200, height: 675 } as never, {} as never, {});
      expect(painted).toEqual([`${CHART_BACKGROUND} 0,0 1200×675`]);
    }
  });
});

// ---- text ------------------------------------------------------------------

describe('chart text', () => {
  it('writes numbers with thousands separators, percentages and currency', () => {
    expect(formatChartValue(1234567.891)).toBe('1,234,567.89');
    expect(formatChartValue(-4200)).toBe('-4,200');
    expect(formatChartValue(33.333, 'percent')).toBe('33.3%');
    expect(formatChartValue(99.5, 'currency')).toBe('$99.5');
    expect(formatChartValue(2000, 'currency', 'GBP')).toBe('£2,000');
  });

  it('leaves short text alone and cuts long text to the limit, ending in an ellipsis', () => {
    expect(truncateLabel('#general', 10)).toBe('#general');
    expect(truncateLabel('exactly ten', 11)).toBe('exactly ten');
    expect(truncateLabel('a very long channel name', 10)).toBe('a very lo…');
    expect(truncateLabel('trailing   spaces here', 11)).toBe('trailing…');
  });

  it('never splits an emoji when truncating', () => {
    const cut = truncateLabel('🚀🚀🚀🚀🚀🚀', 4);
    expect(cut).toBe('🚀🚀🚀…');
    expect(Array.from(cut)).toHaveLength(4);
  });
});

describe('describeChartForAltText', () => {
  it('names the type, the title and the size of the data', () => {
    expect(describeChartForAltText(chartArguments('bar', { title: 'Deploys per week' }))).toBe('Bar chart: Deploys per week — 2 series over 12 labels');
    expect(describeChartForAltText(chartArguments('stacked_bar', { series: [{ name: 'A', values: valuesFor(12) }] }))).toBe(
      'Stacked bar chart: Messages per week by channel — 1 series over 12 labels',
    );
    expect(describeChartForAltText(chartArguments('pie'))).toBe('Pie chart: Threads by channel — 3 slices');
    expect(describeChartForAltText(chartArguments('scatter'))).toBe('Scatter plot: Replies vs. hours to resolve — 2 series with 3 points');
  });
});
