/**
 * How every chart looks: the colour-blind-safe palette, text and grid
 * colours, and the inline plugins that paint the background and space the
 * legend. Pure; used by the chart spec.
 */
import type { Plugin } from 'chart.js';

/**
 * Okabe–Ito, the palette designed to stay distinct under every common colour
 * blindness; ordered so the first colours are the most different (blue,
 * orange), yellow (weak on white) late and black last.
 */
export const CHART_PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'] as const;
export const CHART_BACKGROUND = '#FFFFFF';

export const TITLE_COLOUR = '#111827';
export const TEXT_COLOUR = '#374151';
export const GRID_COLOUR = '#E5E7EB';
export const AXIS_LINE_COLOUR = '#9CA3AF';
/** Areas are see-through so one series' fill never hides another's. */
export const AREA_FILL_ALPHA = 0.2;

/** chart.js leaves the canvas transparent; Slack shows transparency as dark in dark mode, so paint it white first. */
export const whiteBackgroundPlugin: Plugin = {
  id: 'pulseWhiteBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'source-over';
    ctx.fillStyle = CHART_BACKGROUND;
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** Space under a top legend: chart.js puts the plot right under it, and the top tick label then touches the legend. */
const LEGEND_GAP = 18;

const legendGapPlugin: Plugin = {
  id: 'pulseLegendGap',
  afterInit(chart) {
    const legend = chart.legend;
    if (!legend) return;
    const fit = legend.fit.bind(legend);
    legend.fit = () => {
      fit();
      if (legend.isHorizontal() && legend.height > 0) legend.height += LEGEND_GAP;
    };
  },
};

/** Inline plugins every chart carries (per chart, not registered globally, so the spec alone decides the look). */
export const CHART_PLUGINS: Plugin[] = [whiteBackgroundPlugin, legendGapPlugin];

export function paletteColour(index: number): string {
  return CHART_PALETTE[index % CHART_PALETTE.length] as string;
}

/** "#0072B2", 0.2 → "rgba(0, 114, 178, 0.2)". */
export function withAlpha(hex: string, alpha: number): string {
  const [red, green, blue] = [1, 3, 5].map((start) => Number.parseInt(hex.slice(start, start + 2), 16));
  return `rgba(${red}, ${green}, ${blue}, ${alpha})`;
}
