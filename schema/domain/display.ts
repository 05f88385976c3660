/** What a wall display shows: one dashboard, or a playlist of them. Ids are row ids. */
export type DisplayTarget = { kind: 'dashboard'; id: string } | { kind: 'playlist'; id: string };
