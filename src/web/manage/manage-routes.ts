/**
 * The pages that change data, under /manage/: mentoring, priorities and users; and the audit log.
 * One encapsulated scope, so that a stale CSRF token gets a page saying what to do.
 */
import type { FastifyInstance } from 'fastify';
import { refusalErrorHandler } from '../auth/login-routes.js';
import { auditRoutes } from './audit-routes.js';
import { mentoringRoutes, type ManageRoutesOptions } from './mentoring-routes.js';
import { prioritiesRoutes } from './priorities-routes.js';
import { initiativesRoutes } from './initiatives-routes.js';
import { usersRoutes } from './users-routes.js';
import { securityRoutes, type SecurityRoutesOptions } from './security-routes.js';
import type { ScryptParams } from '../auth/password.js';

export async function manageRoutes(
  app: FastifyInstance,
  o: ManageRoutesOptions & { hashParams?: ScryptParams } & SecurityRoutesOptions,
): Promise<void> {
  app.setErrorHandler(refusalErrorHandler(app, o.store, o.clock));
  await app.register(mentoringRoutes, o);
  await app.register(prioritiesRoutes, o);
  await app.register(initiativesRoutes, o);
  await app.register(usersRoutes, o);
  await app.register(auditRoutes, o);
  await app.register(securityRoutes, o);
}
