/**
 * Chart rendering: a chart.js configuration → PNG bytes. One renderer for the
 * process, created on first use, with the bundled Inter font registered
 * before any canvas exists, so no system font is ever needed.
 */
import { fileURLToPath } from 'node:url';
import { Canvas, type PngConfig } from 'canvas';
import type { Chart, ChartConfiguration } from 'chart.js';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import { whiteBackgroundPlugin } from './chart-style.ts';

/** 16:9 fills Slack's image preview without letterboxing and leaves room for 12+ readable labels. */
export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 675;
/** Drawn at 2× so text stays sharp on high-density screens and when the image is opened full size. */
export const CHART_PIXEL_RATIO = 2;

/** The bundled font (SIL OFL, assets/fonts/LICENSE); every chart uses it, whatever the machine has installed. */
export const CHART_FONT_FAMILY = 'Inter';
const FONT_FILES = [
  { file: 'Inter-Regular.ttf', weight: 'normal' },
  { file: 'Inter-SemiBold.ttf', weight: '600' },
] as const;

/**
 * PNG encoding tuned for speed: zlib level 1 without row filters encodes the
 * benchmark chart in ~8 ms (163 KB), against ~11 ms (137 KB) for level 3 with
 * the "up" filter and ~24 ms (100 KB) for level 6 with it (node-canvas's
 * default, level 6 trying every filter, is slower still): flat charts on white
 * compress well without help, and 30 KB more is nothing to upload.
 */
const PNG_ENCODING: PngConfig = { compressionLevel: 1, filters: Canvas.PNG_FILTER_NONE };

export function chartFontPath(file: string): string {
  return fileURLToPath(new URL(`../../assets/fonts/${file}`, import.meta.url));
}

/** Canvases kept for reuse between renders: one covers the usual one-at-a-time load; a burst's extras are left to the GC. */
const MAX_IDLE_CANVASES = 1;

/**
 * chartjs-node-canvas's renderer, with two changes measured to matter
 * (bench/charts.ts): an opaque RGB24 surface, because the chart has a white
 * background and an alpha channel only makes PNG encoding slower
 * (un-premultiplying every pixel) and the file bigger; and canvases reused,
 * because a fresh 2400×1350 surface per chart costs ~7 ms of page faults and
 * leaves 13 MB for the GC to find. Uses the base class's protected Chart.js
 * instance and canvas factory, as its own animated renderer does.
 */
class OpaqueChartRenderer extends ChartJSNodeCanvas {
  private readonly idleCanvases: Canvas[] = [];

  private acquireCanvas(): Canvas {
    const canvas = this.idleCanvases.pop() ?? this._createCanvas(this._width, this._height);
    // chart.js takes its size from the canvas and leaves it at device pixels: back to CSS pixels (this frees the old surface at once).
    canvas.width = this._width;
    canvas.height = this._height;
    return canvas;
  }

  private releaseCanvas(canvas: Canvas): void {
    if (this.idleCanvases.length < MAX_IDLE_CANVASES) this.idleCanvases.push(canvas);
  }

  renderPng(configuration: ChartConfiguration): Promise<Buffer> {
    const canvas = this.acquireCanvas();
    // The pixel format is fixed when a canvas's context is first made; a reused canvas keeps its RGB24 context.
    const context = canvas.getContext('2d', { pixelFormat: 'RGB24' });
    let chart: Chart;
    try {
      // chart.js/auto's constructor types come from the DOM lib; node-canvas's context is what it draws on at run time.
      chart = new this._chartJs(context as never, configuration);
    } catch (error) {
      this.releaseCanvas(canvas);
      throw error;
    }
    return new Promise<Buffer>((resolve, reject) => {
      const finish = () => {
        chart.destroy();
        this.releaseCanvas(canvas);
      };
      try {
        // Encoding runs on libuv's thread pool, off the event loop; the canvas is not reused until it is done.
        canvas.toBuffer(
          (error, png) => {
            finish();
            if (error) reject(error);
            else resolve(png);
          },
          'image/png',
          PNG_ENCODING,
        );
      } catch (error) {
        finish();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }
}

let renderer: OpaqueChartRenderer | undefined;

function getRenderer(): OpaqueChartRenderer {
  if (renderer) return renderer;
  const created = new OpaqueChartRenderer({
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    chartCallback: (chartJs) => {
      chartJs.defaults.font.family = CHART_FONT_FAMILY;
      // An RGB24 surface has no transparency: chart.js's clear leaves it black. Every chart gets painted white first,
      // also one whose configuration brings no background of its own (a spec's background then paints over it).
      chartJs.register({ ...whiteBackgroundPlugin, id: 'pulseOpaqueBackground' });
    },
  });
  // Fonts must be registered before the first canvas is created, or text falls back to whatever fontconfig finds.
  for (const font of FONT_FILES) created.registerFont(chartFontPath(font.file), { family: CHART_FONT_FAMILY, weight: font.weight });
  renderer = created;
  return created;
}

/** Renders a chart.js configuration (from buildChartConfiguration) to a CHART_WIDTH × CHART_HEIGHT PNG at CHART_PIXEL_RATIO. */
export function renderChartPng(configuration: ChartConfiguration): Promise<Buffer> {
  // Size and stillness are the renderer's to decide; the caller's configuration is not mutated.
  const options = { ...configuration.options, responsive: false, animation: false as const, devicePixelRatio: CHART_PIXEL_RATIO };
  return getRenderer().renderPng({ ...configuration, options } as ChartConfiguration);
}
