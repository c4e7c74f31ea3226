/** How numbers and text are written on a chart. Pure; a fixed locale so the same data always draws the same image. */
import type { ValueFormat } from './chart-arguments.ts';

/** Locale for numbers: Pulse's messages are English, and a fixed locale keeps rendering deterministic. */
const CHART_LOCALE = 'en-US';

const plainNumber = new Intl.NumberFormat(CHART_LOCALE, { maximumFractionDigits: 2 });
const percentNumber = new Intl.NumberFormat(CHART_LOCALE, { maximumFractionDigits: 1 });
const currencyFormats = new Map<string, Intl.NumberFormat>();

function currencyFormat(currencyCode: string): Intl.NumberFormat {
  let format = currencyFormats.get(currencyCode);
  if (!format) {
    // Whole amounts without ".00": axis ticks are round numbers and the cents only add noise.
    format = new Intl.NumberFormat(CHART_LOCALE, { style: 'currency', currency: currencyCode, minimumFractionDigits: 0, maximumFractionDigits: 2 });
    currencyFormats.set(currencyCode, format);
  }
  return format;
}

/** 12345.678 → "12,345.68"; percent: 42.5 → "42.5%" (values are already percentages); currency: 1200 → "$1,200". */
export function formatChartValue(value: number, format: ValueFormat = 'number', currencyCode = 'USD'): string {
  if (format === 'percent') return `${percentNumber.format(value)}%`;
  if (format === 'currency') return currencyFormat(currencyCode).format(value);
  return plainNumber.format(value);
}

/** A share of a total for pie legends: 0.4567 → "45.7%". */
export function formatShare(fraction: number): string {
  return `${percentNumber.format(fraction * 100)}%`;
}

/**
 * Cuts text to at most maxChars characters, ending in "…" when cut. Counts
 * code points, not UTF-16 units, so an emoji is never split in half.
 */
export function truncateLabel(text: string, maxChars: number): string {
  const characters = Array.from(text);
  if (characters.length <= maxChars) return text;
  return `${characters
    .slice(0, Math.max(0, maxChars - 1))
    .join('')
    .trimEnd()}…`;
}
