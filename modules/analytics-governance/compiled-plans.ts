// Compiled validators of event versions, cached by (event id, version): a version's schema never
// changes (any change makes a new version), so an entry is valid for as long as it lives, in every
// process, and no invalidation is needed. Bounded: the least recently used entry is dropped, and
// removed from Ajv, which would otherwise keep every schema it compiled.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020, formats: string[]) => Ajv2020;

export const DEFAULT_CAPACITY = 1000;

export class CompiledPlans {
  // allErrors: a validation reports every violation, not the first; strict: our compiler's
  // output must use only keywords Ajv knows, with the types they apply to; ownProperties: a key
  // such as `constructor` is looked up on the payload itself, never on Object.prototype.
  private readonly ajv = addFormats(new Ajv2020({ allErrors: true, strict: true, ownProperties: true }), ['date-time']);
  private readonly entries = new Map<string, { schema: object; validate: ValidateFunction }>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  get(eventId: string, version: number): ValidateFunction | undefined {
    const key = `${eventId}:${version}`;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.validate;
  }

  compile(eventId: string, version: number, schema: object): ValidateFunction {
    const key = `${eventId}:${version}`;
    const existing = this.get(eventId, version);
    if (existing) return existing;
    const validate = this.ajv.compile(schema);
    this.entries.set(key, { schema, validate });
    while (this.entries.size > this.capacity) {
      const [oldest, entry] = this.entries.entries().next().value!;
      this.entries.delete(oldest);
      this.ajv.removeSchema(entry.schema);
    }
    return validate;
  }

  get size(): number { return this.entries.size; }
}

/** The process's cache (safe to share: keys are global ids, entries immutable). */
export const compiledPlans = new CompiledPlans();
