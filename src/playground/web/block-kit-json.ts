/**
 * Reading Block Kit JSON as posted: the page trusts nothing about its shape,
 * so every field is read through these and a wrong type reads as absent. DOM-free.
 */

export type Json = Record<string, unknown>;

export function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The text of a text object ({ type, text }) or undefined. */
export function textOf(value: unknown): string | undefined {
  return asString(asObject(value)?.text);
}

export interface BlockOption {
  text: string;
  value: string;
  description?: string;
}

export function readOption(value: unknown): BlockOption | undefined {
  const option = asObject(value);
  const optionValue = asString(option?.value);
  if (!option || optionValue === undefined) return undefined;
  const description = textOf(option.description);
  return { text: textOf(option.text) ?? optionValue, value: optionValue, ...(description ? { description } : {}) };
}

/** A select's options, with option_groups flattened into labelled groups. */
export function readOptionGroups(element: Json): { label?: string; options: BlockOption[] }[] {
  const read = (list: unknown) => asArray(list).map(readOption).filter((option): option is BlockOption => option !== undefined);
  const groups = asArray(element.option_groups)
    .map(asObject)
    .filter((group): group is Json => group !== undefined)
    .map((group) => ({ label: textOf(group.label) ?? '', options: read(group.options) }));
  return groups.length > 0 ? groups : [{ options: read(element.options) }];
}

/** The key under which a typed value is kept between re-renders. */
export function inputKey(blockId: string, actionId: string): string {
  return `${blockId}\u0000${actionId}`;
}

/** Reads an input's current value when a modal is submitted; undefined = nothing chosen. */
export interface InputReader {
  blockId: string;
  actionId: string;
  read(): string | undefined;
}

/** Values as submit_view sends them: block_id → action_id → value; unchosen fields are left out. */
export function collectValues(inputs: readonly InputReader[]): Record<string, Record<string, string>> {
  const values: Record<string, Record<string, string>> = {};
  for (const input of inputs) {
    const value = input.read();
    if (value === undefined || input.blockId === '' || input.actionId === '') continue;
    (values[input.blockId] ??= {})[input.actionId] = value;
  }
  return values;
}
