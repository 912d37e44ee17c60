/** Bearer auth on every route except those marked `config.public`. */
import type { FastifyInstance } from 'fastify';
import { timingSafeEqual } from 'node:crypto';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** No auth (health). */
    public?: boolean;
  }
}

export function registerAuth(app: FastifyInstance, token: string): void {
  const expected = Buffer.from(`Bearer ${token}`);
  app.addHook('onRequest', async (req, reply) => {
    if (req.routeOptions.config.public === true) return;
    const given = req.headers.authorization;
    const ok =
      given !== undefined &&
      given.length === expected.length &&
      timingSafeEqual(Buffer.from(given), expected);
    if (!ok) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ detail: given === undefined ? 'Not authenticated' : 'Invalid token' });
    }
  });
}
