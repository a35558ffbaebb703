// getBiCatalog: the tables BI reads, as clients see them.
import type { Schema } from '../../api/operations.ts';
import type { Catalog } from './engine/catalog.ts';

export const serveCatalog = (catalog: Catalog): Schema<'BiCatalog'> => ({
  tables: [...catalog.values()].map((t) => ({
    name: t.name,
    module: t.module,
    description: t.description,
    columns: t.columns.map((c) => ({ name: c.name, type: c.type, label: null, description: null })),
  })),
});
