/**
 * The message box: Enter sends, Shift+Enter breaks the line, "@" offers
 * Pulse and people. It is built once and never re-rendered, so what is typed
 * survives state frames; each conversation (or thread) keeps its own draft.
 */
import { h, replaceChildren } from './create-element.ts';
import { mentionBeingTyped, type MentionCandidate } from './workspace-names.ts';

export interface ComposerOptions {
  testId: string;
  send(text: string): void;
  candidates(query: string): MentionCandidate[];
}

export class Composer {
  readonly element: HTMLElement;
  private readonly textarea: HTMLTextAreaElement;
  private readonly note: HTMLElement;
  private readonly popup: HTMLElement;
  private readonly drafts = new Map<string, string>();
  private target: string | undefined;
  private suggestions: MentionCandidate[] = [];
  private active = 0;

  constructor(private readonly options: ComposerOptions) {
    this.textarea = h('textarea', { rows: 1, 'aria-label': 'Message', spellcheck: 'true' });
    this.note = h('div', { class: 'composer-note', hidden: true });
    this.popup = h('div', { class: 'mention-popup', role: 'listbox', hidden: true, 'data-testid': 'mention-popup' });
    const sendButton = h('button', { type: 'button', class: 'send', 'aria-label': 'Send', title: 'Send (Enter)', onclick: () => this.submit() }, '➤');
    this.element = h(
      'div',
      { class: 'composer', 'data-testid': options.testId },
      this.popup,
      h('div', { class: 'composer-box' }, this.textarea, sendButton),
      this.note,
    );
    this.textarea.addEventListener('keydown', (event) => this.onKey(event));
    this.textarea.addEventListener('input', () => {
      this.autosize();
      this.suggest();
      if (this.target !== undefined) this.drafts.set(this.target, this.textarea.value);
    });
    this.textarea.addEventListener('blur', () => setTimeout(() => this.closeSuggestions(), 150));
  }

  /** Points the box at a conversation or thread (its draft comes back), or disables it with a note. */
  setTarget(key: string, placeholder: string, disabledNote?: string): void {
    if (key !== this.target) {
      if (this.target !== undefined) this.drafts.set(this.target, this.textarea.value);
      this.target = key;
      this.textarea.value = this.drafts.get(key) ?? '';
      this.closeSuggestions();
      this.autosize();
    }
    this.textarea.placeholder = placeholder;
    const disabled = disabledNote !== undefined;
    this.textarea.disabled = disabled;
    this.element.classList.toggle('disabled', disabled);
    this.note.hidden = !disabled;
    this.note.textContent = disabledNote ?? '';
  }

  focus(): void {
    if (!this.textarea.disabled) this.textarea.focus();
  }

  private submit(): void {
    const text = this.textarea.value;
    if (text.trim() === '' || this.textarea.disabled) return;
    this.options.send(text);
    this.textarea.value = '';
    if (this.target !== undefined) this.drafts.delete(this.target);
    this.closeSuggestions();
    this.autosize();
  }

  private onKey(event: KeyboardEvent): void {
    if (event.isComposing) return;
    if (!this.popup.hidden && this.suggestions.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        this.active = (this.active + step + this.suggestions.length) % this.suggestions.length;
        this.drawSuggestions();
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        this.pick(this.suggestions[this.active] as MentionCandidate);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        this.closeSuggestions();
        return;
      }
    }
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      this.submit();
    }
  }

  private suggest(): void {
    const typing = mentionBeingTyped(this.textarea.value, this.textarea.selectionStart);
    this.suggestions = typing ? this.options.candidates(typing.query) : [];
    this.active = 0;
    if (this.suggestions.length === 0) this.closeSuggestions();
    else this.drawSuggestions();
  }

  private drawSuggestions(): void {
    this.popup.hidden = false;
    replaceChildren(
      this.popup,
      this.suggestions.map((candidate, index) =>
        h(
          'button',
          {
            type: 'button',
            class: `mention-option${index === this.active ? ' active' : ''}`,
            role: 'option',
            'aria-selected': String(index === this.active),
            'data-testid': 'mention-option',
            'data-handle': candidate.handle,
            // mousedown, not click: the textarea must keep focus and caret.
            onmousedown: (event) => {
              event.preventDefault();
              this.pick(candidate);
            },
          },
          candidate.label,
        ),
      ),
    );
  }

  private pick(candidate: MentionCandidate): void {
    const caret = this.textarea.selectionStart;
    const typing = mentionBeingTyped(this.textarea.value, caret);
    if (!typing) return this.closeSuggestions();
    const value = this.textarea.value;
    const insert = `@${candidate.handle} `;
    this.textarea.value = value.slice(0, typing.start) + insert + value.slice(caret);
    const end = typing.start + insert.length;
    this.textarea.setSelectionRange(end, end);
    if (this.target !== undefined) this.drafts.set(this.target, this.textarea.value);
    this.closeSuggestions();
    this.textarea.focus();
  }

  private closeSuggestions(): void {
    this.suggestions = [];
    this.popup.hidden = true;
    this.popup.textContent = '';
  }

  /** Grows with its text up to a third of the window, as Slack's box does. */
  private autosize(): void {
    this.textarea.style.height = 'auto';
    this.textarea.style.height = `${Math.min(this.textarea.scrollHeight, Math.round(window.innerHeight / 3))}px`;
  }
}
