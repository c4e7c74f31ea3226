/**
 * The metrics export's pure parts: the CSV builder (RFC 4180 escaping and the
 * spreadsheet formula guard), the date-range checks the App Home modal and the
 * tool share, and the tables built from metric rows.
 */
import { describe, expect, it } from 'vitest';
import { LINK_KINDS } from '../../src/analytics/classify-link.ts';
import {
  buildChannelsCsv,
  buildExportTables,
  buildPeopleCsv,
  CHANNEL_EXPORT_SIGNALS,
  defaultExportRange,
  describeExportOutcome,
  describeExportRangeProblem,
  exportFileNames,
  exportTotals,
  PERSON_EXPORT_SIGNALS,
  resolveExportRange,
  type ExportQuery,
} from '../../src/analytics/metrics-export.ts';
import { toCsv, toCsvField } from '../../src/csv.ts';
import type { MetricRow } from '../../src/db/analytics-queries.ts';

describe('toCsvField', () => {
  it('quotes fields with commas, quotes or line breaks, doubling the quotes inside', () => {
    expect(toCsvField('plain')).toBe('plain');
    expect(toCsvField('Smith, Ann')).toBe('"Smith, Ann"');
    expect(toCsvField('the "core" team')).toBe('"the ""core"" team"');
    expect(toCsvField('two\nlines')).toBe('"two\nlines"');
    expect(toCsvField('cr\r\nlf')).toBe('"cr\r\nlf"');
  });

  it('prefixes text starting with = + - @ (or tab/CR) with a quote so spreadsheets do not run it as a formula', () => {
    expect(toCsvField('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(toCsvField('+1 555')).toBe("'+1 555");
    expect(toCsvField('-2+3')).toBe("'-2+3");
    expect(toCsvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(toCsvField('\tcmd')).toBe("'\tcmd");
    expect(toCsvField('a=b')).toBe('a=b');
  });

  it('writes numbers, booleans and empty values as they are (a negative number is not a formula)', () => {
    expect(toCsvField(-3)).toBe('-3');
    expect(toCsvField(12.5)).toBe('12.5');
    expect(toCsvField(true)).toBe('true');
    expect(toCsvField(null)).toBe('');
    expect(toCsvField('')).toBe('');
  });
});

describe('toCsv', () => {
  it('writes a header and rows with CRLF line ends, ending in one', () => {
    expect(toCsv(['a', 'b'], [['x, y', 1], ['=1+1', null]])).toBe('a,b\r\n"x, y",1\r\n\'=1+1,\r\n');
  });
});

describe('export ranges', () => {
  it('defaults to the last 30 days, today included, or the retention window when that is shorter', () => {
    const now = new Date('2024-03-15T12:00:00Z');
    expect(defaultExportRange(now)).toEqual({ from: '2024-02-15', to: '2024-03-15' });
    expect(defaultExportRange(now, 7)).toEqual({ from: '2024-03-09', to: '2024-03-15' });
  });

  it('rejects unreal dates, an end before the start, and ranges longer than the retention window, naming the field', () => {
    expect(describeExportRangeProblem('2024-02-30', '2024-03-01', 365)).toEqual({ field: 'from', message: expect.stringMatching(/real date/) });
    expect(describeExportRangeProblem('2024-02-01', 'March', 365)).toEqual({ field: 'to', message: expect.stringMatching(/YYYY-MM-DD/) });
    expect(describeExportRangeProblem('2024-03-02', '2024-03-01', 365)).toEqual({ field: 'to', message: expect.stringMatching(/on or after the start/) });
    expect(describeExportRangeProblem('2024-01-01', '2024-01-31', 30)).toEqual({ field: 'from', message: expect.stringMatching(/at most 30 days/) });
    expect(describeExportRangeProblem('2024-01-01', '2024-01-30', 30)).toBeUndefined();
    expect(describeExportRangeProblem('2024-03-01', '2024-03-01', 1)).toBeUndefined();
  });

  it('fills a missing end with today and a missing start with 30 days before the end, and refuses a bad range', () => {
    const now = new Date('2024-03-15T12:00:00Z');
    expect(resolveExportRange({}, now, 365)).toEqual({ from: '2024-02-15', to: '2024-03-15' });
    expect(resolveExportRange({ to: '2024-01-31' }, now, 365)).toEqual({ from: '2024-01-02', to: '2024-01-31' });
    expect(resolveExportRange({ from: '2024-03-01' }, now, 365)).toEqual({ from: '2024-03-01', to: '2024-03-15' });
    expect(resolveExportRange({ from: '2023-01-01', to: '2024-03-01' }, now, 90)).toEqual({ refused: expect.stringMatching(/at most 90 days/) });
  });
});

/** A query that answers from fixed rows per metric and grouping, recording what was asked. */
function fixedQuery(rows: Record<string, MetricRow[]>) {
  const asked: string[] = [];
  const query: ExportQuery = (metric, groupBy) => {
    const key = `${metric}:${groupBy.join('+')}`;
    asked.push(key);
    return rows[key] ?? [];
  };
  return { query, asked };
}

const person = (id: string, value: number): MetricRow => ({ keys: { person: id }, value });
const channel = (id: string, value: number): MetricRow => ({ keys: { channel: id }, value });

function sampleTables(pseudonymized = false) {
  const { query, asked } = fixedQuery({
    'messages:person': [person('U1', 5), person('U2', 9)],
    'help_replies:person': [person('U1', 2)],
    // A person who only reacted still gets a row.
    'reactions_given:person': [person('U3', 4)],
    'links:person+link_kind': [{ keys: { person: 'U2', link_kind: 'jira' }, value: 3 }],
    'messages:channel': [channel('C1', 10), channel('C2', 4)],
    'bot_messages:channel': [channel('C2', 7)],
    'links:channel+link_kind': [{ keys: { channel: 'C1', link_kind: 'github_pr' }, value: 2 }],
  });
  const tables = buildExportTables(query, {
    from: '2024-03-01',
    to: '2024-03-31',
    pseudonymized,
    channelIds: ['C1', 'C2'],
    channelNames: new Map([['C1', 'eng'], ['C2', 'ops, infra']]),
    notes: [],
  });
  return { tables, asked };
}

describe('buildExportTables and the CSVs', () => {
  it('asks one grouped query per signal (and links by kind), the groupings workspace_metrics uses', () => {
    const { asked } = sampleTables();
    expect(asked).toEqual([
      ...PERSON_EXPORT_SIGNALS.map((signal) => `${signal}:person`),
      'links:person+link_kind',
      ...CHANNEL_EXPORT_SIGNALS.map((signal) => `${signal}:channel`),
      'links:channel+link_kind',
    ]);
  });

  it('writes user_id, email, name then every signal per person, most messages first; blank email where Slack gives none', () => {
    const { tables } = sampleTables();
    const csv = buildPeopleCsv(tables, new Map([
      ['U1', { name: 'Ann Lee', email: 'ann@example.com' }],
      ['U2', { name: '=Bob', email: undefined }],
    ]));
    const [header, ...rows] = csv.trimEnd().split('\r\n');
    expect(header).toBe(['user_id', 'email', 'name', ...PERSON_EXPORT_SIGNALS, ...LINK_KINDS.map((kind) => `links_${kind}`)].join(','));
    const jira = LINK_KINDS.indexOf('jira');
    expect(rows).toEqual([
      ['U2', '', "'=Bob", 9, 0, 0, 0, 0, 0, 0, 0, 0, ...LINK_KINDS.map((_, index) => (index === jira ? 3 : 0))].join(','),
      ['U1', 'ann@example.com', 'Ann Lee', 5, 0, 0, 2, 0, 0, 0, 0, 0, ...LINK_KINDS.map(() => 0)].join(','),
      ['U3', '', '', 0, 0, 0, 0, 4, 0, 0, 0, 0, ...LINK_KINDS.map(() => 0)].join(','),
    ]);
  });

  it('leaves emails and names out in a pseudonymized workspace, even when a directory is given', () => {
    const { tables } = sampleTables(true);
    const csv = buildPeopleCsv(tables, new Map([['U1', { name: 'Ann Lee', email: 'ann@example.com' }]]));
    expect(csv).not.toContain('ann@example.com');
    expect(csv).not.toContain('Ann Lee');
  });

  it('writes channel_id, name then every signal per channel (bot messages included), and totals sum the channel rows', () => {
    const { tables } = sampleTables();
    const [header, ...rows] = buildChannelsCsv(tables).trimEnd().split('\r\n');
    expect(header?.split(',').slice(0, 12)).toEqual(['channel_id', 'name', ...CHANNEL_EXPORT_SIGNALS]);
    expect(rows[0]?.startsWith('C1,#eng,10,')).toBe(true);
    expect(rows[1]?.startsWith('C2,"#ops, infra",4,')).toBe(true);
    expect(exportTotals(tables)).toMatchObject({ messages: 14, bot_messages: 7, links_github_pr: 2, links_jira: 0 });
  });

  it('names the files after the range and tells the admin what was sent or why not', () => {
    expect(exportFileNames({ from: '2024-03-01', to: '2024-03-31' })).toEqual({
      people: 'pulse-people-metrics-2024-03-01-to-2024-03-31.csv',
      channels: 'pulse-channel-metrics-2024-03-01-to-2024-03-31.csv',
    });
    expect(describeExportOutcome({ refused: 'Only admins.' })).toBe('No export was sent: Only admins.');
  });
});
