// MikroORM types a nullable column as `T | null | undefined` (a property may be unloaded); the
// contract says `T | null`. Serializers build fresh objects, and this one helper turns their
// absent values into the contract's nulls, in type and at run time.
export type Nulled<T> = { [K in keyof T]: undefined extends T[K] ? Exclude<T[K], undefined> | null : T[K] };

export function nulled<T extends object>(fields: T): Nulled<T> {
  const out = fields as Record<string, unknown>;
  for (const key of Object.keys(out)) if (out[key] === undefined) out[key] = null;
  return out as Nulled<T>;
}
