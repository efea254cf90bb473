import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { config } from "../../../config";
import type { AppEnv } from "../../../env";
import { sessionCookieName } from "../../middleware/auth";

/** HttpOnly, SameSite=Lax, and Secure with the __Host- prefix everywhere but local development (plain http on 127.0.0.1). */
export function setSessionCookie(c: Context<AppEnv>, token: string, expiresAt: Date) {
  setCookie(c, sessionCookieName(c.env), token, {
    httpOnly: true,
    secure: !config(c.env).localDev,
    sameSite: "Lax",
    path: "/",
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context<AppEnv>) {
  deleteCookie(c, sessionCookieName(c.env), { path: "/", secure: !config(c.env).localDev });
}
