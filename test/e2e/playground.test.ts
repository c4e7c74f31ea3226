/**
 * The playground in a real browser: `startPlayground` (what `npm run
 * playground` runs: the emulator, its page and a Pulse process) with the
 * fake LLM, driven through Debian's Chromium by playwright-core. Screenshots
 * of each state go to test-results/playground/.
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlayground, type Playground } from '../../src/playground/start-playground.ts';
import { startFakeLlm, type FakeLlm } from '../support/fake-llm.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = 'test-results/playground';
const UI_TIMEOUT_MS = 15_000;

let llm: FakeLlm;
let playground: Playground;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  llm = await startFakeLlm();
  playground = await startPlayground({
    port: 0,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      OPENAI_API_KEY: 'sk-playground-test-key',
      OPENAI_BASE_URL: llm.url,
      LOG_LEVEL: 'info',
    },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await playground?.stop();
  await llm?.close();
});

async function openPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  await page.goto(playground.url);
  await page.locator('[data-testid="connection"][data-state="open"]').waitFor();
  return page;
}

async function openPulseMessages(page: Page): Promise<void> {
  await page.locator('[data-testid="app-pulse"]').click();
  await page.locator('[data-testid="tab-messages"]').click();
}

async function send(page: Page, text: string): Promise<void> {
  const composer = page.locator('[data-testid="composer"] textarea');
  await composer.fill(text);
  await composer.press('Enter');
}

/** The person's message in the open conversation, found by its text. */
function messageWithText(page: Page, text: string) {
  return page.locator('[data-testid="message"]', { has: page.locator('[data-testid="message-text"]', { hasText: text }) }).first();
}

describe('the playground page', () => {
  it('DMs Pulse: the question gets 👀, then the answer in its thread, then ✅', async () => {
    const page = await openPage();
    await openPulseMessages(page);
    llm.script({ reply: 'Hello! I can count **help replies**, chart activity and more.', delayMs: 1_500 });

    await send(page, 'What can you do?');

    const question = messageWithText(page, 'What can you do?');
    await question.locator('[data-testid="reaction"][data-name="eyes"]').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/dm-thinking.png` });
    await question.locator('[data-testid="reaction"][data-name="white_check_mark"]').waitFor();
    await expect(question.locator('[data-testid="reaction"][data-name="eyes"]').count()).resolves.toBe(0);

    await question.locator('[data-testid="open-thread"]').click();
    const thread = page.locator('[data-testid="thread-pane"]');
    const answer = thread.locator('[data-testid="message"][data-user="' + playground.emulator.botUserId + '"]');
    await answer.waitFor();
    // Markdown became mrkdwn, which the page renders bold.
    await expect(answer.locator('[data-testid="message-text"] b, [data-testid="message-text"] strong').first().textContent()).resolves.toBe(
      'help replies',
    );
    await page.screenshot({ path: `${SCREENSHOTS}/dm-answer.png` });

    // What the page showed is what the emulator holds.
    const im = playground.emulator.imChannel(playground.seeded.admin.id);
    const [root] = playground.emulator.messages(im).filter((message) => message.text === 'What can you do?');
    expect(root).toBeDefined();
    expect(playground.emulator.reactions({ channel: im, ts: root?.ts ?? '' })).toEqual({ white_check_mark: [playground.emulator.botUserId] });
    await page.close();
  });

  it('has the seeded history synced, so an analytics question gets figures', async () => {
    // The startup sync reads the seeded channels (the playground lets it go faster than Slack's Tier 3).
    await expect.poll(() => /analytics sync \(startup\)[^\n]* (\d+) messages/.exec(playground.pulseOutput())?.[1], { timeout: 30_000 }).toBeDefined();
    const synced = Number(/analytics sync \(startup\)[^\n]* (\d+) messages/.exec(playground.pulseOutput())?.[1]);
    expect(synced).toBe(playground.seeded.messages);

    const page = await openPage();
    await openPulseMessages(page);
    llm.script(
      { toolCalls: [{ name: 'workspace_metrics', arguments: { metric: 'help_replies', group_by: ['person'], channels: ['#eng-help'], top: 3 } }] },
      {
        respond: (request) => {
          const messages = request.body.messages as { role: string; content: string }[];
          const result = JSON.parse(messages.findLast((message) => message.role === 'tool')?.content ?? '{}') as { rows?: unknown[][] };
          return { reply: (result.rows ?? []).map((row) => row.join(': ')).join('\n') || 'no rows' };
        },
      },
    );

    await send(page, 'Who gave the most help replies in #eng-help?');

    const question = messageWithText(page, 'Who gave the most help replies in #eng-help?');
    await question.locator('[data-testid="reaction"][data-name="white_check_mark"]').waitFor();
    await question.locator('[data-testid="open-thread"]').click();
    const answer = page.locator(`[data-testid="thread-pane"] [data-testid="message"][data-user="${playground.emulator.botUserId}"] [data-testid="message-text"]`);
    await answer.first().waitFor();
    // The top three helpers, each with a count of help replies above zero.
    const lines = (await answer.first().innerText()).split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).toMatch(/^.+: [1-9]\d*$/);
    await page.screenshot({ path: `${SCREENSHOTS}/analytics-answer.png` });
    await page.close();
  });

  it('asks for a chart and shows the PNG Pulse uploads inline', async () => {
    const page = await openPage();
    await openPulseMessages(page);
    llm.script(
      {
        toolCalls: [
          {
            name: 'render_chart',
            arguments: {
              type: 'bar',
              title: 'Help replies per channel',
              x_label: 'Channel',
              y_label: 'Help replies',
              labels: ['eng-help', 'product', 'incidents'],
              series: [{ name: 'help replies', values: [42, 9, 7] }],
            },
          },
        ],
      },
      { toolCalls: [{ name: 'share_table', arguments: { title: 'Help replies', columns: ['channel', 'help replies'], rows: [['eng-help', 42], ['product', 9]] } }] },
      { reply: 'Most help happens in #eng-help.' },
    );

    await send(page, 'Chart help replies per channel');

    const question = messageWithText(page, 'Chart help replies per channel');
    await question.locator('[data-testid="reaction"][data-name="white_check_mark"]').waitFor();
    await question.locator('[data-testid="open-thread"]').click();
    const image = page.locator('[data-testid="thread-pane"] img[data-testid="file-image"]').first();
    await image.waitFor();
    await expect
      // Runs in the page: an <img> that finished loading and decoded to real pixels.
      .poll(() => image.evaluate((element) => (element as unknown as { complete: boolean; naturalWidth: number }).naturalWidth), {
        timeout: UI_TIMEOUT_MS,
      })
      .toBeGreaterThan(100);
    await page.screenshot({ path: `${SCREENSHOTS}/chart.png` });

    // The CSV is a download link whose bytes are the file Pulse uploaded.
    const download = page.locator('[data-testid="thread-pane"] a[data-testid="file-download"]').first();
    await expect(download.textContent()).resolves.toContain('help-replies.csv');
    const href = await download.getAttribute('href');
    const csv = await fetch(new URL(href ?? '', playground.url));
    expect(csv.headers.get('content-disposition')).toContain('attachment');
    expect(await csv.text()).toBe('channel,help replies\r\neng-help,42\r\nproduct,9\r\n');
    await page.close();
  });

  it('@mentions Pulse in a channel and runs the "Ask Pulse" shortcut through its modal', async () => {
    const page = await openPage();
    const engHelp = playground.seeded.channels.find((channel) => channel.name === 'eng-help');
    await page.locator(`[data-testid="conversation"][data-id="${engHelp?.id}"]`).click();
    llm.script({ reply: 'Three threads asked about CI this week.' });

    await send(page, '@Pulse how many CI questions this week?');

    const mention = messageWithText(page, 'how many CI questions this week?');
    // The composer's "@Pulse" became a real mention of the bot.
    await expect(mention.locator('[data-testid="message-text"]').textContent()).resolves.toContain('@Pulse');
    await mention.locator('[data-testid="reaction"][data-name="white_check_mark"]').waitFor();
    const stored = playground.emulator.messages(engHelp?.id ?? '').find((message) => message.text.includes('how many CI questions'));
    expect(stored?.text).toBe(`<@${playground.emulator.botUserId}> how many CI questions this week?`);

    // "…" → Ask Pulse on a seeded message → the modal → Submit → the answer in that message's thread.
    llm.script({ reply: 'That runbook lives in the ops wiki.' });
    const seeded = page.locator('[data-testid="message"]').first();
    await seeded.hover();
    await seeded.locator('[data-testid="message-menu-button"]').click();
    const shortcuts = page.locator('[data-testid="shortcut"]');
    await expect(shortcuts.evaluateAll((items) => items.map((item) => item.getAttribute('data-callback-id')))).resolves.toEqual([
      'ask_pulse',
      'ask_pulse_in_dm',
    ]);
    await page.locator('[data-testid="shortcut"][data-callback-id="ask_pulse"]').click();
    const modal = page.locator('[data-testid="modal"]');
    await modal.waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/ask-pulse-modal.png` });
    await modal.locator('textarea, input[type="text"]').first().fill('Where is this documented?');
    await modal.locator('[data-testid="modal-submit"]').click();
    await modal.waitFor({ state: 'detached' });
    await seeded.locator('[data-testid="open-thread"]').click();
    await page.locator('[data-testid="thread-pane"] [data-testid="message-text"]', { hasText: 'That runbook lives in the ops wiki.' }).waitFor();
    await page.close();
  });

  it('shows a member the admin notice in App Home, and the admin the settings', async () => {
    const page = await openPage();
    await page.locator('[data-testid="app-pulse"]').click();
    await page.locator('[data-testid="tab-home"]').click();
    const home = page.locator('[data-testid="home"]');
    await home.getByText('API key', { exact: false }).first().waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/home-admin.png` });

    // Export metrics: the modal's date pickers, then two CSV files in the admin's DM with Pulse.
    await home.locator('[data-action-id="metrics_export_open"]').click();
    const modal = page.locator('[data-testid="modal"]');
    const from = modal.locator('input[type="date"][data-action-id="metrics_export_from_input"]');
    await expect(from.inputValue()).resolves.toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const fromDate = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
    await from.fill(fromDate);
    await page.screenshot({ path: `${SCREENSHOTS}/export-modal.png` });
    await modal.locator('[data-testid="modal-submit"]').click();
    await modal.waitFor({ state: 'detached' });
    await page.locator('[data-testid="tab-messages"]').click();
    const downloads = page.locator('a[data-testid="file-download"]');
    await expect.poll(() => downloads.allTextContents(), { timeout: UI_TIMEOUT_MS }).toEqual(
      expect.arrayContaining([expect.stringContaining(`pulse-people-metrics-${fromDate}-to-`), expect.stringContaining('pulse-channel-metrics-')]),
    );
    const people = await fetch(new URL((await downloads.filter({ hasText: 'pulse-people-metrics-' }).first().getAttribute('href')) ?? '', playground.url));
    expect((await people.text()).split('\r\n')[0]).toMatch(/^user_id,email,name,messages,/);
    await page.locator('[data-testid="tab-home"]').click();

    await page.locator('select[data-testid="act-as"]').selectOption(playground.seeded.member.id);
    await page.locator('[data-testid="app-pulse"]').click();
    await page.locator('[data-testid="tab-home"]').click();
    await home.getByText('Only workspace admins can set', { exact: false }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/home-member.png` });
    await page.close();
  });
});

describe('a playground with no LLM key configured', () => {
  it('asks the admin to paste one in App Home, as in Slack, and then answers', async () => {
    const keyless = await startPlayground({
      port: 0,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, OPENAI_BASE_URL: llm.url, LOG_LEVEL: 'warn' },
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    try {
      await page.goto(keyless.url);
      await page.locator('[data-testid="app-pulse"]').click();
      await page.locator('[data-testid="tab-home"]').click();
      const home = page.locator('[data-testid="home"]');
      await home.getByText('Pulse cannot answer until an admin sets the API key', { exact: false }).waitFor();
      await page.screenshot({ path: `${SCREENSHOTS}/home-no-key.png` });

      await home.locator('[data-action-id="api_key_set"]').click();
      const modal = page.locator('[data-testid="modal"]');
      await modal.locator('[data-action-id="api_key_input"]').fill('sk-pasted-in-the-playground');
      await modal.locator('[data-testid="modal-submit"]').click();
      await modal.waitFor({ state: 'detached' });
      await home.getByText('ending in', { exact: false }).waitFor();
      await expect(home.textContent()).resolves.not.toContain('sk-pasted-in-the-playground');

      llm.script({ reply: 'Answered with the pasted key.' });
      await page.locator('[data-testid="tab-messages"]').click();
      await send(page, 'Does the key work?');
      await messageWithText(page, 'Does the key work?').locator('[data-testid="reaction"][data-name="white_check_mark"]').waitFor();
      expect(llm.requests.at(-1)?.apiKey).toBe('sk-pasted-in-the-playground');
    } finally {
      await page.close();
      await keyless.stop();
    }
  }, 60_000);
});
