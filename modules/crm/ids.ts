// Id prefixes of the CRM's records (declared in the manifest; unique across modules).
export const CRM_IDS = {
  contact: 'con',
  company: 'com',
  lead: 'lead',
  dealStage: 'stage',
  deal: 'deal',
  invoice: 'inv',
  invoiceLine: 'li',
  payment: 'pay',
  account: 'acct',
  journalEntry: 'je',
  journalLine: 'jl',
} as const;
