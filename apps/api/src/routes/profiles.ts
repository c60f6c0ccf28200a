// Routes /v1/profiles: list and get (public); create, update and delete user profiles (bearer token).

import {
  deleteProfile,
  getProfile,
  insertProfile,
  listProfiles,
  type ProfileRecord,
  updateProfile,
} from '@smart-mining/db';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { ApiError } from '../errors.ts';
import { dateTime, freeObject, objectOf, responses } from '../json-schemas.ts';
import { parseRequestDefinition } from '../profile-definitions.ts';

const NAME_PATTERN = '^[a-z0-9][a-z0-9_-]{0,62}$';
const nameSchema = {
  type: 'string',
  pattern: NAME_PATTERN,
  description: 'Lowercase letters, digits, - and _',
};
const definitionSchema = {
  ...freeObject,
  description: 'Filters, objective, price basis, scope and switching rules (see DESIGN.md §Profiles)',
};

const profileSchema = objectOf({
  name: { type: 'string' },
  builtIn: { type: 'boolean' },
  definition: definitionSchema,
  createdAt: dateTime,
  updatedAt: dateTime,
});

const nameParams = objectOf({ name: { type: 'string', minLength: 1 } });
const security = [{ bearerAuth: [] }];
const writeErrors = ['SM_API_UNAUTHORIZED', 'SM_API_WRITES_DISABLED'] as const;

async function refuseMissingOrBuiltIn(ctx: AppContext, name: string): Promise<never> {
  const existing = await getProfile(ctx.db, name);
  if (!existing) throw ApiError.notFound(`profile ${name}`);
  throw new ApiError(
    'SM_API_BUILT_IN_PROFILE',
    `profile ${name} is built in and cannot be changed or deleted`,
  );
}

const listRoute = {
  tags: ['profiles'],
  summary: 'Every profile, built-ins first',
  response: responses({ 200: objectOf({ profiles: { type: 'array', items: profileSchema } }) }),
};

const getRoute = {
  tags: ['profiles'],
  summary: 'One profile',
  params: nameParams,
  response: responses({ 200: profileSchema }, ['SM_API_NOT_FOUND']),
};

const createRoute = {
  tags: ['profiles'],
  summary: 'Create a profile (the stored definition has every default filled in)',
  security,
  body: objectOf({ name: nameSchema, definition: definitionSchema }),
  response: responses({ 201: profileSchema }, [...writeErrors, 'SM_API_PROFILE_EXISTS']),
};

const updateRoute = {
  tags: ['profiles'],
  summary: "Replace a user profile's definition (built-ins: 409)",
  security,
  params: nameParams,
  body: objectOf({ definition: definitionSchema }),
  response: responses({ 200: profileSchema }, [
    ...writeErrors,
    'SM_API_NOT_FOUND',
    'SM_API_BUILT_IN_PROFILE',
  ]),
};

const deleteRoute = {
  tags: ['profiles'],
  summary: 'Delete a user profile (built-ins: 409)',
  security,
  params: nameParams,
  response: responses({ 204: { type: 'null' } }, [
    ...writeErrors,
    'SM_API_NOT_FOUND',
    'SM_API_BUILT_IN_PROFILE',
  ]),
};

function registerProfileReads(app: FastifyInstance, ctx: AppContext): void {
  app.get('/v1/profiles', { schema: listRoute }, async () => ({ profiles: await listProfiles(ctx.db) }));

  app.get<{ Params: { name: string } }>(
    '/v1/profiles/:name',
    { schema: getRoute },
    async (request): Promise<ProfileRecord> => {
      const profile = await getProfile(ctx.db, request.params.name);
      if (!profile) throw ApiError.notFound(`profile ${request.params.name}`);
      return profile;
    },
  );
}

function registerProfileWrites(app: FastifyInstance, ctx: AppContext): void {
  const preHandler = ctx.requireToken;
  app.post<{ Body: { name: string; definition: unknown } }>(
    '/v1/profiles',
    { preHandler, schema: createRoute },
    async (request, reply) => {
      const definition = parseRequestDefinition(request.body.definition);
      const created = await insertProfile(ctx.db, { name: request.body.name, definition }, ctx.now());
      ctx.market.invalidate();
      if (!created) throw new ApiError('SM_API_PROFILE_EXISTS', `profile ${request.body.name} exists`);
      return reply.code(201).send(created);
    },
  );

  app.put<{ Params: { name: string }; Body: { definition: unknown } }>(
    '/v1/profiles/:name',
    { preHandler, schema: updateRoute },
    async (request) => {
      const definition = parseRequestDefinition(request.body.definition);
      const updated = await updateProfile(ctx.db, request.params.name, definition, ctx.now());
      ctx.market.invalidate();
      return updated ?? refuseMissingOrBuiltIn(ctx, request.params.name);
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/v1/profiles/:name',
    { preHandler, schema: deleteRoute },
    async (request, reply) => {
      const deleted = await deleteProfile(ctx.db, request.params.name);
      ctx.market.invalidate();
      if (!deleted) await refuseMissingOrBuiltIn(ctx, request.params.name);
      return reply.code(204).send();
    },
  );
}

export function registerProfileRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerProfileReads(app, ctx);
  registerProfileWrites(app, ctx);
}
