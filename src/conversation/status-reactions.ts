/** The emoji Pulse puts on a question while it works and when it is done. */
export const STATUS_REACTION = {
  working: 'eyes',
  answered: 'white_check_mark',
  failed: 'x',
} as const;
