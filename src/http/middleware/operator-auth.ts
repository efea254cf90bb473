import type { MiddlewareHandler } from "hono";
import { config } from "../../config";
import type { AppEnv } from "../../env";
import { UnauthorizedError } from "../../errors";
import { secretsEqual } from "../../lib/secrets";

/**
 * The operator API takes the operator token (the OPERATOR_TOKEN secret) as a bearer token, never a
 * user's session. Compared in constant time; without a configured token, nobody gets in.
 */
export const requireOperator: MiddlewareHandler<AppEnv> = async (c, next) => {
  const expected = config(c.env).operatorToken;
  const given = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
  if (!expected || !given || !(await secretsEqual(given, expected))) throw new UnauthorizedError("The operator API needs the operator token");
  await next();
};
