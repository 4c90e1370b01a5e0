import type { Event } from '../../model/event.js';
import { createFieldMap } from '../../model/flatten.js';

const FIELD_MAP_PROTOTYPE: object | null = Object.getPrototypeOf(createFieldMap());

/**
 * Structured cloning (postMessage) gives field maps Object.prototype, whose members (`constructor`,
 * `toString`…) would read as fields; giving them back the field-map prototype is cheaper than
 * copying them.
 */
export function toFieldMap(plain: Event['fields']): Event['fields'] {
  Object.setPrototypeOf(plain, FIELD_MAP_PROTOTYPE);
  return plain;
}
