/** Small builders that keep the templates readable as data. */
import type { ItemBasis, TemplateItem } from './template.ts';

export interface ItemOptions {
  basis?: ItemBasis;
  required?: boolean;
  answeredAt?: 'beforehand' | 'visit';
  /** Asked only after these answers to another item. */
  after?: { itemId: string; anyOf: Array<string | boolean> };
}

const extras = (o: ItemOptions) => ({ ...(o.answeredAt ? { answeredAt: o.answeredAt } : {}), ...(o.after ? { enabledWhen: o.after } : {}) });

/** A yes/no question (はい/いいえ, あった/なかった, ある/ない). Required unless said otherwise. */
export function yesNo(itemId: string, text: string, source: string, o: ItemOptions = {}): TemplateItem {
  return { itemId, text, type: 'boolean', required: o.required ?? true, basis: o.basis ?? 'form', source, ...extras(o) };
}

/** A follow-up text asked only after one of the given answers to `parent` (「はい」の場合、病名). */
export function followUp(
  itemId: string,
  text: string,
  parent: string,
  source: string,
  anyOf: Array<string | boolean> = [true],
  o: ItemOptions = {},
): TemplateItem {
  return {
    itemId,
    text,
    type: 'text',
    required: o.required ?? true,
    maxLength: 200,
    enabledWhen: { itemId: parent, anyOf },
    basis: o.basis ?? 'form',
    source,
  };
}

/** A choice among labelled options, `[value, label]` pairs; `exclusive` values stand alone in a multiple choice. */
export function choice(
  itemId: string,
  text: string,
  options: Array<[string, string]>,
  source: string,
  o: ItemOptions & { multiple?: boolean; exclusive?: string[] } = {},
): TemplateItem {
  return {
    itemId,
    text,
    type: 'choice',
    required: o.required ?? true,
    options: options.map(([value, label]) => ({ value, label, ...(o.exclusive?.includes(value) ? { exclusive: true } : {}) })),
    ...(o.multiple ? { multiple: true } : {}),
    ...extras(o),
    basis: o.basis ?? 'form',
    source,
  };
}

export function numberItem(
  itemId: string,
  text: string,
  bounds: { min: number; max: number; unit: string; decimals?: number },
  source: string,
  o: ItemOptions = {},
): TemplateItem {
  return {
    itemId,
    text,
    type: 'number',
    required: o.required ?? true,
    min: bounds.min,
    max: bounds.max,
    unit: bounds.unit,
    decimals: bounds.decimals ?? 0,
    ...extras(o),
    basis: o.basis ?? 'form',
    source,
  };
}

export function dateItem(itemId: string, text: string, source: string, o: ItemOptions = {}): TemplateItem {
  return { itemId, text, type: 'date', required: o.required ?? true, basis: o.basis ?? 'form', source, ...extras(o) };
}

/** A free note, never required. */
export function note(itemId: string, text: string, source = 'ours', basis: ItemBasis = 'ours'): TemplateItem {
  return { itemId, text, type: 'text', required: false, maxLength: 500, basis, source };
}
