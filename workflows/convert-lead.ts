// Placeholder until lead conversion lands.
export async function convertLead(): Promise<void> {
  throw new Error('convertLead is not implemented yet');
}
