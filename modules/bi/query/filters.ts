// Filters ({column, operator, value}) checked against a dataset's typed columns, then compiled to
// SQL with the column quoted and every value a bound parameter cast to the column's type.
import type { FieldProblem } from '../../../platform/errors.ts';
import type { BiColumn, BiFilter, BiType } from '../entities.ts';
import { quoteIdent } from '../engine/sql-text.ts';

const COMPARISONS = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
const ORDERED: readonly BiType[] = ['string', 'integer', 'number', 'date', 'timestamp'];

/** The DuckDB type a bound value is cast to, per BI column type. */
const CAST: Record<Exclude<BiType, 'json'>, string> = {
  string: 'VARCHAR', integer: 'DOUBLE', number: 'DOUBLE', boolean: 'BOOLEAN', date: 'DATE', timestamp: 'TIMESTAMPTZ',
};

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** Why a value does not fit a column type (null: it fits). */
export function misfit(type: BiType, value: unknown): string | null {
  switch (type) {
    case 'string': return typeof value === 'string' ? null : 'must be a string';
    case 'integer': case 'number': return typeof value === 'number' ? null : 'must be a number';
    case 'boolean': return typeof value === 'boolean' ? null : 'must be true or false';
    case 'date': return typeof value === 'string' && DATE.test(value) && validDate(value) ? null : 'must be a date YYYY-MM-DD';
    case 'timestamp': return typeof value === 'string' && DATE_TIME.test(value) && validDate(value.slice(0, 10)) ? null : 'must be an RFC 3339 date-time (or a date)';
    case 'json': return 'cannot be compared (a json column takes is_null or is_not_null)';
  }
}

function validDate(text: string): boolean {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function filterProblems(filters: readonly BiFilter[], columns: readonly BiColumn[], field: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  filters.forEach((f, i) => {
    const at = `${field}.${i}`;
    const column = columns.find((c) => c.name === f.column);
    if (!column) { problems.push(unknownColumn(`${at}.column`, f.column, columns)); return; }
    const value = f.value;
    const scalar = (v: unknown, where: string) => { const why = misfit(column.type, v); if (why) problems.push({ field: where, problem: `${why} (column ${column.name} is ${column.type})` }); };
    switch (f.operator) {
      case 'is_null': case 'is_not_null':
        if (value !== undefined && value !== null) problems.push({ field: `${at}.value`, problem: `must be omitted or null for ${f.operator}` });
        return;
      case 'in': case 'not_in':
        if (!Array.isArray(value) || !value.length) { problems.push({ field: `${at}.value`, problem: `must be a non-empty array for ${f.operator}` }); return; }
        value.forEach((v, j) => scalar(v, `${at}.value.${j}`));
        return;
      case 'between':
        if (!Array.isArray(value) || value.length !== 2) { problems.push({ field: `${at}.value`, problem: 'must be an array of two values [low, high] for between' }); return; }
        if (!ORDERED.includes(column.type)) { problems.push({ field: `${at}.operator`, problem: `between does not apply to ${column.type} column ${column.name}` }); return; }
        value.forEach((v, j) => scalar(v, `${at}.value.${j}`));
        return;
      case 'contains': case 'starts_with':
        if (column.type !== 'string') { problems.push({ field: `${at}.operator`, problem: `${f.operator} applies to string columns; ${column.name} is ${column.type}` }); return; }
        if (typeof value !== 'string') problems.push({ field: `${at}.value`, problem: `must be a string for ${f.operator}` });
        return;
      default:
        if (value === undefined || value === null || Array.isArray(value)) { problems.push({ field: `${at}.value`, problem: `must be a single value for ${f.operator}` }); return; }
        if (f.operator !== 'eq' && f.operator !== 'neq' && !ORDERED.includes(column.type)) {
          problems.push({ field: `${at}.operator`, problem: `${f.operator} does not apply to ${column.type} column ${column.name}` });
          return;
        }
        scalar(value, `${at}.value`);
    }
  });
  return problems;
}

export const unknownColumn = (field: string, name: string, columns: readonly BiColumn[]): FieldProblem => ({
  field, problem: `"${name}" is not a column of the dataset (its columns: ${columns.slice(0, 30).map((c) => c.name).join(', ')}${columns.length > 30 ? ', ...' : ''})`,
});

/** A checked filter as SQL; its values are appended to `params`. */
export function filterSql(f: BiFilter, column: BiColumn, params: unknown[]): string {
  const c = quoteIdent(f.column);
  const bind = (v: unknown) => {
    params.push(v);
    return column.type === 'json' ? `$${params.length}` : `CAST($${params.length} AS ${CAST[column.type]})`;
  };
  const values = Array.isArray(f.value) ? f.value : [];
  switch (f.operator) {
    case 'is_null': return `${c} IS NULL`;
    case 'is_not_null': return `${c} IS NOT NULL`;
    case 'in': return `${c} IN (${values.map(bind).join(', ')})`;
    case 'not_in': return `${c} NOT IN (${values.map(bind).join(', ')})`;
    case 'between': return `${c} BETWEEN ${bind(values[0])} AND ${bind(values[1])}`;
    // Case-insensitive, like a BI tool's "contains"; no pattern characters are interpreted.
    case 'contains': params.push(f.value); return `contains(lower(${c}), lower(CAST($${params.length} AS VARCHAR)))`;
    case 'starts_with': params.push(f.value); return `starts_with(lower(${c}), lower(CAST($${params.length} AS VARCHAR)))`;
    default: return `${c} ${COMPARISONS[f.operator]} ${bind(f.value)}`;
  }
}
