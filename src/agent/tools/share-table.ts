/** share_table: a table as a CSV file in the thread, for data too wide or long for a message. */
import { z } from 'zod';
import { defineTool } from './pulse-tool.ts';
import { toCsv } from '../../csv.ts';

/** Rows per CSV: enough for any report a person reads, small enough to upload quickly. */
export const MAX_TABLE_ROWS = 5_000;
/** Columns per CSV: beyond this a table is not meant for people. */
export const MAX_TABLE_COLUMNS = 50;
/** Rows the model is told to preview in its answer. */
const PREVIEW_ROWS = 5;

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const shareTableSchema = z
  .object({
    title: z.string().min(1).max(120).describe('A short title, also used for the file name, e.g. "Messages per channel, last 30 days".'),
    columns: z.array(z.string().min(1).max(200)).min(1).max(MAX_TABLE_COLUMNS).describe('Column headers, in order.'),
    rows: z
      .array(z.array(cell))
      .min(1)
      .max(MAX_TABLE_ROWS)
      .describe(`The rows; each has one value per column (at most ${MAX_TABLE_ROWS} rows).`),
  })
  .superRefine((table, context) => {
    table.rows.forEach((row, index) => {
      if (row.length !== table.columns.length) {
        context.addIssue({
          code: 'custom',
          path: ['rows', index],
          message: `row ${index + 1} has ${row.length} values but there are ${table.columns.length} columns`,
        });
      }
    });
  });

export function fileNameFor(title: string, extension: string): string {
  const base = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${base || 'pulse'}.${extension}`;
}

export const shareTableTool = defineTool({
  name: 'share_table',
  description:
    'Share a table as a CSV file in this thread (people can open it in a spreadsheet). Use it for tables with more than a few rows or columns; then give a short preview or summary in your answer.',
  schema: shareTableSchema,
  run: async (table, context) => {
    const filename = fileNameFor(table.title, 'csv');
    await context.files.uploadFile({ bytes: Buffer.from(toCsv(table.columns, table.rows), 'utf8'), filename, title: table.title });
    const preview = [table.columns, ...table.rows.slice(0, PREVIEW_ROWS)].map((row) => row.map(String).join(' | ')).join('\n');
    return `Shared ${filename} (${table.rows.length} rows, ${table.columns.length} columns) in the thread. Preview of the first rows:\n${preview}\nMention the file and summarise the key rows in your answer; do not repeat the whole table.`;
  },
});
