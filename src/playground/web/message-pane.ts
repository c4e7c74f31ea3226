/**
 * A scrolling list of messages that stays at the bottom while the reader is
 * there (new messages, a streaming answer growing, an image loading) and
 * stays put when they scrolled up to read.
 */
import { KeyedList, type KeyedItem } from './keyed-list.ts';

/** How close to the end still counts as "at the bottom", in pixels. */
const BOTTOM_SLACK_PX = 48;

export class MessagePane {
  readonly element: HTMLElement;
  private readonly list: KeyedList;
  private stick = true;
  private shownKey: string | undefined;

  constructor(className: string, testId?: string) {
    this.element = document.createElement('div');
    this.element.className = `message-pane ${className}`;
    if (testId) this.element.dataset.testid = testId;
    const inner = document.createElement('div');
    inner.className = 'message-list';
    this.element.append(inner);
    this.list = new KeyedList(inner);
    this.element.addEventListener('scroll', () => {
      const { scrollHeight, scrollTop, clientHeight } = this.element;
      this.stick = scrollHeight - scrollTop - clientHeight < BOTTOM_SLACK_PX;
    });
    // Images load after layout and push the end down: keep up if the reader was there.
    this.element.addEventListener('load', () => this.keepAtBottom(), true);
  }

  /** Shows the items of `key` (a conversation or thread); a new key starts at its bottom. */
  show(key: string, items: readonly KeyedItem[]): void {
    if (key !== this.shownKey) {
      this.list.clear();
      this.shownKey = key;
      this.stick = true;
    }
    this.list.update(items);
    this.keepAtBottom();
  }

  /** After the reader posts: follow the conversation again. */
  followBottom(): void {
    this.stick = true;
    this.keepAtBottom();
  }

  private keepAtBottom(): void {
    if (this.stick) this.element.scrollTop = this.element.scrollHeight;
  }
}
