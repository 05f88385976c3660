import { z } from 'zod';

export const WALL_THEMES = ['dark', 'light'] as const;
export type WallTheme = (typeof WALL_THEMES)[number];

export const playlistItemSchema = z
  .object({
    /** Global id of a dashboard of the same organization. */
    dashboardId: z.string().min(1).max(200),
    durationSeconds: z.number().int().min(5).max(86_400).default(60),
  })
  .strict();
export type PlaylistItem = z.infer<typeof playlistItemSchema>;
