/**
 * The render_chart tool's arguments as the model writes them: a zod schema
 * whose descriptions are the model's instructions and whose error messages
 * tell it exactly what to fix. Pure; no chart.js, no canvas.
 */
import { z } from 'zod';

export const CHART_TYPES = ['bar', 'horizontal_bar', 'stacked_bar', 'line', 'area', 'pie', 'doughnut', 'scatter'] as const;
export type ChartType = (typeof CHART_TYPES)[number];

export const VALUE_FORMATS = ['number', 'percent', 'currency'] as const;
export type ValueFormat = (typeof VALUE_FORMATS)[number];

/** Series per chart: the colour-blind-safe palette has 8 colours; a 9th series could not be told apart. */
export const MAX_CHART_SERIES = 8;
/** Labels or scatter points per series: past ~500 marks a 1200 px wide chart gives each under 2.5 px, so aggregate instead. */
export const MAX_CHART_POINTS = 500;
/** Pie/doughnut slices: one palette colour each, and thinner slices than 1/8 of a pie are rarely readable. */
export const MAX_PIE_SLICES = 8;
/** Characters in a title, label or series name the model may send; longer text is an error, not data. */
export const MAX_CHART_TEXT_LENGTH = 200;

const PIE_TYPES: ReadonlySet<ChartType> = new Set(['pie', 'doughnut']);

export function isPieType(type: ChartType): type is 'pie' | 'doughnut' {
  return PIE_TYPES.has(type);
}

const NON_FINITE_MESSAGE =
  'must be a finite number such as 1234 or 0.5 (not a string, null, NaN or Infinity); use 0 or leave the label out when a value is missing';

const finiteNumber = z.number({ error: NON_FINITE_MESSAGE });

const chartText = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .min(1, `${what} must not be empty`)
    .max(MAX_CHART_TEXT_LENGTH, `${what} must be at most ${MAX_CHART_TEXT_LENGTH} characters; shorten it`);

/** Optional text (axis titles, labels): empty is allowed and simply shows nothing. */
const optionalText = (what: string) =>
  z
    .string({ error: `${what} must be text` })
    .trim()
    .max(MAX_CHART_TEXT_LENGTH, `${what} must be at most ${MAX_CHART_TEXT_LENGTH} characters; shorten it`);

const pointSchema = z.object({
  x: finiteNumber.describe('Horizontal position of the point.'),
  y: finiteNumber.describe('Vertical position of the point.'),
});

const seriesSchema = z.object({
  name: chartText('a series name').describe('Name of this series, shown in the legend, e.g. "#engineering" or "Replies".'),
  values: z
    .array(finiteNumber)
    .max(MAX_CHART_POINTS, `a series can have at most ${MAX_CHART_POINTS} values; aggregate (e.g. weeks instead of days) or keep the top ones`)
    .optional()
    .describe('Every type except scatter: one number per label, in the same order as labels.'),
  points: z
    .array(pointSchema)
    .max(MAX_CHART_POINTS, `a scatter series can have at most ${MAX_CHART_POINTS} points; sample or aggregate them`)
    .optional()
    .describe('Scatter only: the points of this series as {"x": number, "y": number}.'),
});

const chartArgumentsObject = z
  .object({
    type: z
      .enum(CHART_TYPES, { error: `type must be one of: ${CHART_TYPES.join(', ')} (stacked bars are type "stacked_bar")` })
      .describe(
        'bar: compare categories; horizontal_bar: many or long category names; stacked_bar: parts of a total per category; ' +
          'line: a trend over time; area: a trend where volume matters; pie/doughnut: shares of one total (one series, few slices); ' +
          'scatter: relation between two numbers.',
      ),
    title: chartText('title').describe('What the chart shows, with its period, e.g. "Messages per week by channel, last 12 weeks".'),
    x_label: optionalText('x_label')
      .optional()
      .describe('Title of the category axis (the labels), e.g. "Week". For scatter, the horizontal axis. Not shown on pie/doughnut.'),
    y_label: optionalText('y_label')
      .optional()
      .describe('Title of the value axis, e.g. "Messages". For scatter, the vertical axis. Not shown on pie/doughnut.'),
    labels: z
      .array(optionalText('a label'))
      .max(MAX_CHART_POINTS, `at most ${MAX_CHART_POINTS} labels fit in one chart; aggregate (e.g. weeks instead of days) or keep the top ones`)
      .optional()
      .describe('Category labels in display order, e.g. ["Mar 3", "Mar 10"] or channel names. Required for every type except scatter; omit for scatter.'),
    series: z
      .array(seriesSchema)
      .min(1, 'give at least one series')
      .max(
        MAX_CHART_SERIES,
        `at most ${MAX_CHART_SERIES} series fit in one chart; keep the largest and combine the rest into one "Other" series, or draw several charts`,
      )
      .describe(
        `The data: one or more named series (at most ${MAX_CHART_SERIES}). Each has "values" (one per label), or for scatter "points". ` +
          'pie and doughnut take exactly one series.',
      ),
    value_format: z
      .enum(VALUE_FORMATS, { error: `value_format must be one of: ${VALUE_FORMATS.join(', ')}` })
      .optional()
      .describe('How values are written on the axis and in the legend. number (default): 12,345. percent: values are already percentages, 42.5 means 42.5%. currency: see currency_code.'),
    currency_code: z
      .string()
      .regex(/^[A-Z]{3}$/, 'currency_code must be a three-letter ISO 4217 code in capitals, such as USD or EUR')
      .optional()
      .describe('With value_format "currency": the ISO 4217 code, default USD.'),
  })
  .superRefine((chart, context) => {
    const problem = (message: string, path: (string | number)[]) => context.addIssue({ code: 'custom', message, path });
    const labelCount = chart.labels?.length ?? 0;

    if (chart.type === 'scatter') {
      chart.series.forEach((series, index) => {
        if (!series.points || series.points.length === 0) {
          problem(`scatter series "${series.name}" needs "points": [{"x": …, "y": …}, …] (scatter charts do not use values)`, ['series', index, 'points']);
        }
      });
      return;
    }

    if (labelCount === 0) {
      problem(`a ${chart.type} chart needs "labels": at least one category label, one per value (only scatter charts go without labels)`, ['labels']);
    }
    if (isPieType(chart.type)) {
      if (chart.series.length > 1) {
        problem(
          `a ${chart.type} chart shows exactly one series, but ${chart.series.length} were given; use stacked_bar or bar to compare several series`,
          ['series'],
        );
      }
      if (labelCount > MAX_PIE_SLICES) {
        problem(
          `a ${chart.type} chart can have at most ${MAX_PIE_SLICES} slices, but ${labelCount} labels were given; keep the ${MAX_PIE_SLICES - 1} largest and add one "Other" slice, or use horizontal_bar`,
          ['labels'],
        );
      }
    }
    chart.series.forEach((series, index) => {
      if (!series.values) {
        problem(`series "${series.name}" needs "values": one number per label (only scatter series use points)`, ['series', index, 'values']);
        return;
      }
      if (labelCount > 0 && series.values.length !== labelCount) {
        problem(
          `series "${series.name}" has ${series.values.length} values but there are ${labelCount} labels; give exactly one value per label, in label order`,
          ['series', index, 'values'],
        );
      }
      if (isPieType(chart.type)) {
        if (series.values.some((value) => value < 0)) {
          problem(`${chart.type} values must be zero or more; use bar for data with negative numbers`, ['series', index, 'values']);
        } else if (!series.values.some((value) => value > 0)) {
          problem(`${chart.type} values must add up to more than zero`, ['series', index, 'values']);
        }
      }
    });
  });

export type ChartArguments = z.infer<typeof chartArgumentsObject>;
export type ChartSeries = ChartArguments['series'][number];

/** The render_chart tool's schema; refinements check what JSON Schema can't (lengths agreeing, one pie series). */
export const chartArgumentsSchema: z.ZodType<ChartArguments> = chartArgumentsObject;
