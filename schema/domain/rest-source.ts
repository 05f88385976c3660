/** A REST/JSON source as stored on its datasource (secret headers are sealed apart). */
import { z } from 'zod';
import { warehouseNameSchema } from './warehouse';

export const restConnectionSchema = z.object({ table: warehouseNameSchema }).passthrough();
export type RestConnection = z.infer<typeof restConnectionSchema>;
