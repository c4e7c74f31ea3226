/** Slack limits Pulse works within, each with its reason. */

/** users.info results are reused this long: names change rarely and Tier-4 calls are not free. */
export const USER_DIRECTORY_TTL_MS = 60 * 60 * 1000;
/** Bound on cached users so a huge workspace cannot grow memory without limit. */
export const USER_DIRECTORY_MAX_ENTRIES = 10_000;
/** conversations.replies pages: Slack caps `limit` at 1,000; 200 keeps each response small. */
export const REPLIES_PAGE_SIZE = 200;
/** A thread longer than this many pages is read from its newest replies only (bounded work per answer). */
export const MAX_REPLIES_PAGES = 50;
/**
 * Retries per Slack call. The SDK waits out each 429's Retry-After, but every
 * 429 also uses one retry, so this bounds both rate-limit waits and
 * network/5xx retries (with backoff up to SLACK_RETRY_MAX_WAIT_MS).
 */
export const SLACK_CALL_RETRIES = 10;
/** Longest backoff between two retries of a failing Slack call. */
export const SLACK_RETRY_MAX_WAIT_MS = 5_000;
/** One Slack HTTP call may take this long before it is abandoned (and retried). */
export const SLACK_CALL_TIMEOUT_MS = 30_000;
/** Downloading one image for the model may take this long. */
export const IMAGE_DOWNLOAD_TIMEOUT_MS = 10_000;
/** Images larger than this are named, not sent: vision models cap inputs around 20 MB and big images cost tokens. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** At most this many images reach the model per answer (cost and latency grow with each). */
export const MAX_CONTEXT_IMAGES = 4;
