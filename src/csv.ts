/**
 * CSV as Pulse writes it (share_table, reports, metric exports): RFC 4180
 * fields, CRLF line ends, and text a spreadsheet would run as a formula
 * (=, +, -, @, tab, CR at the start) prefixed with ' so opening the file is
 * safe; numbers are written as they are.
 */
export type CsvValue = string | number | boolean | null;

export function toCsvField(value: CsvValue): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [columns, ...rows].map((row) => row.map(toCsvField).join(',')).join('\r\n') + '\r\n';
}
