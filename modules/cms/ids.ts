// Id prefixes of the CMS's records (declared in the manifest; unique across modules).
export const CMS_IDS = {
  collection: 'col',
  site: 'site',
  entry: 'ent',
  campaign: 'camp',
  post: 'post',
} as const;
