/**
 * files.uploadV2 through the real WebClient: Slack's three-step flow, the
 * bytes kept exactly, private downloads that need the token, and the file's
 * message in the thread it was shared to.
 */
import { randomBytes } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../src/emulator/driver.ts';
import { botClient, startEmulator, stopEmulators } from './support/real-clients.ts';

let emulator: SlackEmulator;
let client: WebClient;

beforeEach(async () => {
  emulator = await startEmulator();
  client = botClient(emulator);
});
afterEach(stopEmulators);

/** Binary that would break a naive multipart parser: CRLFs, dashes and a PNG signature. */
function awkwardBytes(size: number): Buffer {
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('\r\n--\r\n\r\n--boundary\r\n'), randomBytes(size)]);
}

type UploadedFile = { id: string; title: string; name: string; url_private: string; url_private_download: string; alt_txt?: string };

async function uploadChart(bytes: Buffer, threadTs: string, channel: string) {
  const result = await client.filesUploadV2({
    channel_id: channel,
    thread_ts: threadTs,
    file: bytes,
    filename: 'deploys.png',
    title: 'Deploys per week',
    initial_comment: 'Here is the chart',
    alt_text: 'Bar chart of deploys per week',
  });
  const [completion] = result.files as unknown as { files: UploadedFile[] }[];
  return completion?.files[0] as UploadedFile;
}

describe('files.uploadV2', () => {
  it('runs Slack’s three steps: getUploadURLExternal, the upload URL, completeUploadExternal', async () => {
    const question = emulator.dm(emulator.seed.alice.id, 'chart please');
    const bytes = awkwardBytes(2_000);

    const file = await uploadChart(bytes, question.ts, question.channel);

    const steps = emulator.calls.map((call) => call.method).filter((method) => ['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal'].includes(method));
    expect(steps).toEqual(['files.getUploadURLExternal', 'upload', 'files.completeUploadExternal']);
    expect(emulator.callsTo('files.getUploadURLExternal')[0]?.params).toMatchObject({ filename: 'deploys.png', length: String(bytes.length), alt_text: 'Bar chart of deploys per week' });
    expect(file).toMatchObject({ title: 'Deploys per week', name: 'deploys.png', alt_txt: 'Bar chart of deploys per week' });
  });

  it('keeps the bytes exactly: url_private with the bot token downloads the same file', async () => {
    const question = emulator.dm(emulator.seed.alice.id, 'chart please');
    const bytes = awkwardBytes(1024 * 1024);

    const file = await uploadChart(bytes, question.ts, question.channel);

    for (const url of [file.url_private, file.url_private_download]) {
      const download = await fetch(url, { headers: { Authorization: `Bearer ${emulator.botToken}` } });
      expect(download.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    }
  });

  it('serves an HTML sign-in page, not the file, to a download without the token', async () => {
    const question = emulator.dm(emulator.seed.alice.id, 'chart please');
    const file = await uploadChart(awkwardBytes(100), question.ts, question.channel);

    const download = await fetch(file.url_private);

    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toContain('text/html');
    expect(await download.text()).toMatch(/^<!DOCTYPE html>/);
  });

  it('shares the file in the requested thread, in one message carrying the initial comment', async () => {
    const question = emulator.mention(emulator.seed.bob.id, emulator.seed.general.id, 'chart of deploys?');
    const file = await uploadChart(awkwardBytes(100), question.ts, question.channel);

    const [reply, ...others] = emulator.botReplies(question);
    expect(others).toEqual([]);
    expect(reply).toMatchObject({ text: 'Here is the chart', threadTs: question.ts, fileIds: [file.id] });

    const thread = await client.conversations.replies({ channel: question.channel, ts: question.ts });
    const shared = thread.messages?.at(-1) as { files?: { id: string; title: string }[]; upload?: boolean };
    expect(shared.files?.map((entry) => [entry.id, entry.title])).toEqual([[file.id, 'Deploys per week']]);
    const history = await client.conversations.history({ channel: question.channel });
    expect(history.messages?.map((message) => message.ts)).not.toContain(reply?.ts);
  });

  it('uploads several files at once into one message', async () => {
    const question = emulator.dm(emulator.seed.alice.id, 'chart and csv');
    await client.filesUploadV2({
      channel_id: question.channel,
      thread_ts: question.ts,
      initial_comment: 'Chart and data',
      file_uploads: [
        { file: awkwardBytes(10), filename: 'chart.png', title: 'Chart' },
        { file: Buffer.from('week,deploys\n1,4\n'), filename: 'deploys.csv', title: 'Data' },
      ],
    });

    const [reply] = emulator.botReplies(question);
    expect(reply?.fileIds).toHaveLength(2);
    const files = reply?.fileIds.map((id) => emulator.workspace.files.get(id));
    expect(files?.map((entry) => [entry?.name, entry?.mimetype])).toEqual([
      ['chart.png', 'image/png'],
      ['deploys.csv', 'text/csv'],
    ]);
    expect(files?.[1]?.bytes.toString()).toBe('week,deploys\n1,4\n');
  });
});
