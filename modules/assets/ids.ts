export const ASSET_IDS = { asset: 'asset' } as const;
