// Settings field shapes several providers share: http(s) URLs without credentials, optional fields that forms send blank.
import { z } from 'zod';
import { blankToUndefined } from '../validation.ts';

export const httpUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL without credentials');

export const opt = <T extends z.ZodType>(s: T) => z.preprocess(blankToUndefined, s.optional());
