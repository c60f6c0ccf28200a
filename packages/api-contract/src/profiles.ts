// /v1/profiles: profiles are data (DESIGN.md §Profiles); writes need the admin token and honour If-Match.

import { profileDefinitionSchema } from '@smart-mining/domain';
import { z } from 'zod';
import { isoDateTime, name, pattern } from './primitives.ts';

export const PROFILE_NAME_PATTERN = pattern(
  /^[a-z0-9][a-z0-9_-]{0,62}$/,
  'must be 1 to 63 lowercase letters, digits, - and _, starting with a letter or digit',
);

export const profileName = z
  .string()
  .regex(PROFILE_NAME_PATTERN)
  .describe('Lowercase letters, digits, - and _; at most 63 characters');

/** The definition as stored and served: every default filled in. */
export const profileSchema = z.object({
  name: z.string(),
  builtIn: z.boolean(),
  version: z.int().min(1).describe('Bumped by every change; the ETag is `"<version>"`'),
  definition: profileDefinitionSchema,
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});

export const profileParams = z.strictObject({ name });

export const profileCreateBody = z.strictObject({ name: profileName, definition: profileDefinitionSchema });
export const profileUpdateBody = z.strictObject({ definition: profileDefinitionSchema });

export const profileListResponse = z.object({ profiles: z.array(profileSchema) });

export type ProfileJson = z.infer<typeof profileSchema>;
export type ProfileDefinitionInput = z.input<typeof profileDefinitionSchema>;
