// Slack's mrkdwn reserves exactly three characters; everything else is literal.
// https://api.slack.com/reference/surfaces/formatting#escaping

/**
 * Escapes `&`, `<` and `>` for mrkdwn prose. Entities Slack itself decodes
 * (`&amp;`, `&lt;`, `&gt;`) are left alone so text that is already escaped is
 * not escaped twice.
 */
export function escapeSlackText(text: string): string {
  return text
    .replace(/&(?!(?:amp|lt|gt);)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * Escapes code literally: inside code the model means the characters it wrote,
 * so an `&amp;` there is shown as `&amp;`, not as `&`.
 */
export function escapeSlackCode(code: string): string {
  return code.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Reverses the three entities so widths can be measured on what Slack shows. */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
