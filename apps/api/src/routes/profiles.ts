// Routes /v1/profiles: list and get (public, with an ETag); create, update and delete user profiles (admin
// token, If-Match). Each write runs in one transaction with its rankings-changed event.

import { ROUTES } from '@smart-mining/api-contract';
import {
  appendEvent,
  deleteProfile,
  getProfile,
  insertProfile,
  listProfiles,
  lockProfile,
  type ProfileRecord,
  type Queryable,
  updateProfile,
} from '@smart-mining/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.ts';
import { ApiError } from '../errors.ts';
import { parseRequestDefinition, toProfile } from '../profile-definitions.ts';
import { addRoute } from '../route-schema.ts';

function etag(profile: ProfileRecord): string {
  return `"${profile.version}"`;
}

/** The versions an If-Match header accepts (`*` accepts any); undefined when the header is absent. */
function ifMatch(request: FastifyRequest): string[] | undefined {
  const header = request.headers['if-match'];
  if (header === undefined) return undefined;
  return header.split(',').map((v) => v.trim().replace(/^W\//, ''));
}

/** The profile to change, locked: 404 when missing, 409 when built in, 412 when If-Match names another version. */
async function lockForChange(tx: Queryable, request: FastifyRequest, name: string): Promise<ProfileRecord> {
  const existing = await lockProfile(tx, name);
  if (!existing) throw ApiError.notFound(`profile ${name}`);
  if (existing.builtIn) {
    throw new ApiError(
      'SM_API_BUILT_IN_PROFILE',
      `profile ${name} is built in and cannot be changed or deleted`,
    );
  }
  const accepted = ifMatch(request);
  if (accepted && !accepted.includes('*') && !accepted.includes(etag(existing))) {
    throw new ApiError(
      'SM_API_PRECONDITION_FAILED',
      `headers/if-match ${accepted.join(', ')} is not the current version ${etag(existing)} of profile ${name}: read it again`,
    );
  }
  return existing;
}

function announce(tx: Queryable, profile: string, change: 'created' | 'updated' | 'deleted', at: Date) {
  return appendEvent(tx, 'rankings-changed', { cause: 'profile', profile, change }, at);
}

/** The stored definition parsed with today's schema: every default filled in, as the contract says. */
function toBody(record: ProfileRecord) {
  return { ...record, definition: toProfile(record).definition };
}

function sendProfile(reply: FastifyReply, profile: ProfileRecord, status = 200) {
  return reply.code(status).header('etag', etag(profile)).send(toBody(profile));
}

function registerProfileReads(app: FastifyInstance, ctx: AppContext): void {
  addRoute(app, ROUTES.profiles, async () => ({ profiles: (await listProfiles(ctx.db)).map(toBody) }));

  addRoute(app, ROUTES.profile, async (request, reply) => {
    const profile = await getProfile(ctx.db, request.params.name);
    if (!profile) throw ApiError.notFound(`profile ${request.params.name}`);
    return sendProfile(reply, profile);
  });
}

function registerProfileWrites(app: FastifyInstance, ctx: AppContext): void {
  const onRequest = ctx.guards.admin;
  addRoute(
    app,
    ROUTES.profileCreate,
    async (request, reply) => {
      const definition = parseRequestDefinition(request.body.definition);
      const { name } = request.body;
      const now = ctx.now();
      const created = await ctx.db.transaction(async (tx) => {
        const row = await insertProfile(tx, { name, definition }, now);
        if (row) await announce(tx, name, 'created', now);
        return row;
      });
      if (!created) throw new ApiError('SM_API_PROFILE_EXISTS', `profile ${name} exists`);
      ctx.market.invalidate();
      return sendProfile(reply, created, 201);
    },
    { onRequest },
  );

  addRoute(
    app,
    ROUTES.profileUpdate,
    async (request, reply) => {
      const definition = parseRequestDefinition(request.body.definition);
      const { name } = request.params;
      const now = ctx.now();
      const updated = await ctx.db.transaction(async (tx) => {
        await lockForChange(tx, request, name);
        const row = (await updateProfile(tx, name, definition, now))!;
        await announce(tx, name, 'updated', now);
        return row;
      });
      ctx.market.invalidate();
      return sendProfile(reply, updated);
    },
    { onRequest },
  );

  addRoute(
    app,
    ROUTES.profileDelete,
    async (request, reply) => {
      const { name } = request.params;
      const now = ctx.now();
      await ctx.db.transaction(async (tx) => {
        await lockForChange(tx, request, name);
        await deleteProfile(tx, name);
        await announce(tx, name, 'deleted', now);
      });
      ctx.market.invalidate();
      return reply.code(204).send();
    },
    { onRequest },
  );
}

export function registerProfileRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerProfileReads(app, ctx);
  registerProfileWrites(app, ctx);
}
