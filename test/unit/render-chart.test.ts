import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createCanvas, loadImage } from 'canvas';
import { afterAll, describe, expect, it } from 'vitest';
import { buildChartConfiguration, CHART_TYPES, type ChartArguments, type ChartType } from '../../src/charts/chart-spec.ts';
import { CHART_HEIGHT, CHART_PIXEL_RATIO, CHART_WIDTH, chartFontPath, renderChartPng } from '../../src/charts/render-chart.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const DEVICE_WIDTH = CHART_WIDTH * CHART_PIXEL_RATIO;
const DEVICE_HEIGHT = CHART_HEIGHT * CHART_PIXEL_RATIO;
const REPO_ROOT = new URL('../../', import.meta.url);

// ---- small factories -------------------------------------------------------

const WEEKS = ['Mar 3', 'Mar 10', 'Mar 17', 'Mar 24', 'Mar 31', 'Apr 7', 'Apr 14', 'Apr 21', 'Apr 28', 'May 5', 'May 12', 'May 19'];

function chartArguments(type: ChartType): ChartArguments {
  if (type === 'scatter') {
    return {
      type,
      title: 'Thread depth vs. hours to resolve',
      x_label: 'Replies',
      y_label: 'Hours',
      series: [
        { name: 'Support', points: Array.from({ length: 30 }, (_unused, index) => ({ x: index % 11, y: (index * 7) % 19 })) },
        { name: 'Engineering', points: Array.from({ length: 20 }, (_unused, index) => ({ x: index % 13, y: (index * 5) % 23 })) },
      ],
    };
  }
  if (type === 'pie' || type === 'doughnut') {
    return { type, title: 'Threads by channel', labels: ['#engineering', '#support', '#random'], series: [{ name: 'Threads', values: [412, 288, 96] }] };
  }
  return {
    type,
    title: 'Messages per week by channel',
    x_label: 'Week starting',
    y_label: 'Messages',
    labels: WEEKS,
    series: [
      { name: '#engineering', values: [1243, 1318, 1190, 1422, 1587, 1502, 1395, 1648, 1710, 1536, 1689, 1824] },
      { name: '#customer-support', values: [862, 910, 1034, 978, 1120, 1205, 1188, 1093, 1267, 1342, 1298, 1415] },
    ],
  };
}

/** Decodes a PNG and returns its size and a reader for single pixels (device pixels, RGBA). */
async function decode(png: Buffer) {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  return {
    width: image.width,
    height: image.height,
    pixel: (x: number, y: number) => Array.from(context.getImageData(x, y, 1, 1).data),
  };
}

describe('renderChartPng', () => {
  it.each(CHART_TYPES)('renders a chart of type %s to a PNG of 1200×675 at 2× (2400×1350 pixels)', async (type) => {
    const png = await renderChartPng(buildChartConfiguration(chartArguments(type)));
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const image = await decode(png);
    expect([image.width, image.height]).toEqual([DEVICE_WIDTH, DEVICE_HEIGHT]);
    expect([DEVICE_WIDTH, DEVICE_HEIGHT]).toEqual([2400, 1350]);
  });

  it('paints the background white, with no transparency', async () => {
    const image = await decode(await renderChartPng(buildChartConfiguration(chartArguments('bar'))));
    for (const [x, y] of [
      [0, 0],
      [DEVICE_WIDTH - 1, 0],
      [0, DEVICE_HEIGHT - 1],
      [DEVICE_WIDTH - 1, DEVICE_HEIGHT - 1],
    ] as const) {
      expect(image.pixel(x, y), `pixel ${x},${y}`).toEqual([255, 255, 255, 255]);
    }
  });

  it('paints the background white even for a configuration that brings no background of its own', async () => {
    const png = await renderChartPng({ type: 'bar', data: { labels: ['a', 'b'], datasets: [{ label: 'n', data: [1, 2] }] } });
    const image = await decode(png);
    expect(image.pixel(0, 0)).toEqual([255, 255, 255, 255]);
    expect(image.pixel(DEVICE_WIDTH - 1, DEVICE_HEIGHT - 1)).toEqual([255, 255, 255, 255]);
  });

  it('draws the same chart to the same bytes every time and leaves the configuration as it was', async () => {
    const configuration = buildChartConfiguration(chartArguments('line'));
    const optionsBefore = JSON.stringify(configuration.options);
    const first = await renderChartPng(configuration);
    const second = await renderChartPng(configuration);
    expect(second.equals(first)).toBe(true);
    expect(JSON.stringify(configuration.options)).toBe(optionsBefore);
  });

  it('renders several charts at once, each on its own canvas', async () => {
    const types: ChartType[] = ['bar', 'pie', 'scatter', 'area', 'horizontal_bar'];
    const together = await Promise.all(types.map((type) => renderChartPng(buildChartConfiguration(chartArguments(type)))));
    for (const [index, type] of types.entries()) {
      const alone = await renderChartPng(buildChartConfiguration(chartArguments(type)));
      expect(together[index]?.equals(alone), type).toBe(true);
    }
  });

  it('ships the font files it registers, with their licence', () => {
    for (const file of ['Inter-Regular.ttf', 'Inter-SemiBold.ttf', 'LICENSE']) expect(existsSync(chartFontPath(file)), file).toBe(true);
    expect(readFileSync(chartFontPath('LICENSE'), 'utf8')).toContain('SIL Open Font License');
  });
});

describe('renderChartPng on a machine without fonts', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'pulse-no-fonts-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('still draws the title, in the bundled font', async () => {
    // A fontconfig with no font directories: the only font the renderer can use is the one it registers.
    const fontConfig = join(scratch, 'fonts.conf');
    writeFileSync(fontConfig, '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig></fontconfig>\n');
    const script = `
      const { buildChartConfiguration } = await import(${JSON.stringify(new URL('src/charts/chart-spec.ts', REPO_ROOT).href)});
      const { renderChartPng } = await import(${JSON.stringify(new URL('src/charts/render-chart.ts', REPO_ROOT).href)});
      const { createCanvas, loadImage } = await import('canvas');
      const png = await renderChartPng(buildChartConfiguration(${JSON.stringify(chartArguments('bar'))}));
      const image = await loadImage(png);
      const canvas = createCanvas(image.width, image.height);
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      // The title sits in the top-left corner: count its dark pixels.
      const { data } = context.getImageData(0, 0, 1200, 110);
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] < 200) ink += 1;
      process.stdout.write(JSON.stringify({ width: image.width, height: image.height, ink }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('.', REPO_ROOT).pathname,
      env: { ...process.env, FONTCONFIG_FILE: fontConfig },
    });
    const result = JSON.parse(stdout) as { width: number; height: number; ink: number };
    expect([result.width, result.height]).toEqual([DEVICE_WIDTH, DEVICE_HEIGHT]);
    // "Messages per week by channel" at 24 px × 2 leaves thousands of dark pixels; with no usable font there are none.
    expect(result.ink).toBeGreaterThan(2000);
  });
});
