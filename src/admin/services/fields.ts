// Builds PATCH schemas from resource schemas: every field optional and without its default, so what is left out stays.
import { z } from 'zod';

type WithoutDefault<S> = S extends z.ZodDefault<infer Inner> ? Inner : S;
export type OptionalFields<T extends z.ZodRawShape> = { [K in keyof T]: z.ZodOptional<WithoutDefault<T[K]>> };

export function optionalFields<T extends z.ZodRawShape>(shape: T): OptionalFields<T> {
  const out: Record<string, z.ZodType> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const field = schema instanceof z.ZodDefault ? (schema.removeDefault() as z.ZodType) : (schema as z.ZodType);
    out[key] = field.optional();
  }
  return out as OptionalFields<T>;
}
