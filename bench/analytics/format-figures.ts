/** How the analytics bench writes its figures in the table, the notes and the progress lines. */
const MEGABYTE = 1024 * 1024;

export const verdict = (met: boolean) => (met ? '✅' : '❌');
export const formatCount = (count: number) => Math.round(count).toLocaleString('en-US');
export const formatMs = (ms: number) => `${ms.toFixed(1)} ms`;
export const formatMb = (bytes: number) => `${(bytes / MEGABYTE).toFixed(1)} MB`;
