import { list, write, type OperationHandlers } from '../../../api/operations.ts';
import { createCompany, listCompanies } from './companies.ts';
import { createContact, listContacts } from './contacts.ts';
import { serializeCompany, serializeContact } from './serializers.ts';

export const directoryOperations = {
  listContacts: list(({ tenant, query }) => listContacts(tenant, query), serializeContact),
  createContact: write(201, ({ tenant, body }) => createContact(tenant, body), serializeContact),
  listCompanies: list(({ tenant, query }) => listCompanies(tenant, query), serializeCompany),
  createCompany: write(201, ({ tenant, body }) => createCompany(tenant, body), serializeCompany),
} satisfies OperationHandlers;
