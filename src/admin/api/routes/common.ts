// Schemas several route files share: the `{id}` path parameter.
import { z } from 'zod';

export const idParams = z.object({ id: z.string().min(1).max(128).describe('The resource id.') }).strict();
