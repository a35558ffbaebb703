// DuckDB values and types as the contract's JSON: integers beyond ±(2^53 − 1) and every DECIMAL
// as strings (a JSON number would round them), dates `YYYY-MM-DD`, timestamps ISO 8601 in UTC,
// JSON columns as JSON values, lists and structs as arrays and objects.
import {
  DuckDBDateValue, DuckDBDecimalValue, DuckDBListValue, DuckDBArrayValue, DuckDBStructValue, DuckDBMapValue,
  DuckDBTimestampTZValue, DuckDBTimestampValue, DuckDBTimestampMillisecondsValue, DuckDBTimestampSecondsValue,
  DuckDBTimestampNanosecondsValue, DuckDBTypeId, DuckDBUnionValue,
  type DuckDBType, type DuckDBValue, type DuckDBValueConverter,
} from '@duckdb/node-api';
import type { BiType } from '../entities.ts';

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The BI type a client sees for a DuckDB column type. */
export function biTypeOf(type: DuckDBType): BiType {
  if (type.alias === 'JSON') return 'json';
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN: return 'boolean';
    case DuckDBTypeId.TINYINT: case DuckDBTypeId.SMALLINT: case DuckDBTypeId.INTEGER: case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.HUGEINT: case DuckDBTypeId.UTINYINT: case DuckDBTypeId.USMALLINT: case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT: case DuckDBTypeId.UHUGEINT: case DuckDBTypeId.BIGNUM:
      return 'integer';
    case DuckDBTypeId.FLOAT: case DuckDBTypeId.DOUBLE: case DuckDBTypeId.DECIMAL: return 'number';
    case DuckDBTypeId.DATE: return 'date';
    case DuckDBTypeId.TIMESTAMP: case DuckDBTypeId.TIMESTAMP_TZ: case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS: case DuckDBTypeId.TIMESTAMP_NS:
      return 'timestamp';
    case DuckDBTypeId.LIST: case DuckDBTypeId.ARRAY: case DuckDBTypeId.STRUCT: case DuckDBTypeId.MAP:
    case DuckDBTypeId.UNION: case DuckDBTypeId.VARIANT:
      return 'json';
    default: return 'string';
  }
}

const isoFromMicros = (micros: bigint, fallback: () => string): string => {
  const ms = micros / 1000n;
  // Dates JavaScript cannot hold (and ±infinity) keep DuckDB's own spelling.
  if (ms > 8_640_000_000_000_000n || ms < -8_640_000_000_000_000n) return fallback();
  return new Date(Number(ms)).toISOString();
};

const integer = (v: bigint): number | string => (v > SAFE || v < -SAFE ? v.toString() : Number(v));

/** Converts one value of a result (recursing into lists, structs and maps). */
export const toJson: DuckDBValueConverter<unknown> = (value: DuckDBValue, type: DuckDBType, convert): unknown => {
  if (value === null || value === undefined) return null;
  if (type.alias === 'JSON' && typeof value === 'string') {
    try { return JSON.parse(value); } catch { return value; }
  }
  if (typeof value === 'bigint') return integer(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof DuckDBDecimalValue) return value.toString();
  if (value instanceof DuckDBDateValue) return value.toString();
  if (value instanceof DuckDBTimestampTZValue || value instanceof DuckDBTimestampValue) return isoFromMicros(value.micros, () => value.toString());
  if (value instanceof DuckDBTimestampMillisecondsValue) return isoFromMicros(value.millis * 1000n, () => value.toString());
  if (value instanceof DuckDBTimestampSecondsValue) return isoFromMicros(value.seconds * 1_000_000n, () => value.toString());
  if (value instanceof DuckDBTimestampNanosecondsValue) return isoFromMicros(value.nanos / 1000n, () => value.toString());
  if ((value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) && 'valueType' in type) {
    return value.items.map((item) => convert(item, type.valueType as DuckDBType, convert));
  }
  if (value instanceof DuckDBStructValue && type.typeId === DuckDBTypeId.STRUCT) {
    return Object.fromEntries(Object.entries(value.entries).map(([k, v]) => [k, convert(v, type.typeForEntry(k) ?? type, convert)]));
  }
  if (value instanceof DuckDBMapValue && type.typeId === DuckDBTypeId.MAP) {
    return value.entries.map((e) => ({ key: convert(e.key, type.keyType, convert), value: convert(e.value, type.valueType, convert) }));
  }
  if (value instanceof DuckDBUnionValue) return value.toString();
  return String(value);
};
