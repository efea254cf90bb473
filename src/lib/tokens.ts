import { jwtVerify, SignJWT } from "jose";
import { config } from "../config";

/** Only HS256 is accepted: `alg: none` and algorithm-confusion tokens fail verification. */
const ALGORITHMS = ["HS256"];

export type SessionClaims = { sub: string; org: string; jti: string };

type TokenConfig = { secret: string; issuer: string; audience: string };

const keyOf = (secret: string) => {
  if (secret.length < 32) throw new Error("JWT_SECRET must be at least 32 characters");
  return new TextEncoder().encode(secret);
};

export async function signSessionToken(cfg: TokenConfig, claims: SessionClaims, expiresAt: Date): Promise<string> {
  return new SignJWT({ org: claims.org })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setJti(claims.jti)
    .setIssuer(cfg.issuer)
    .setAudience(cfg.audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(keyOf(cfg.secret));
}

/** Returns the claims of a valid token, or null for anything forged, expired or malformed. */
export async function verifySessionToken(cfg: TokenConfig, token: string): Promise<SessionClaims | null> {
  try {
    const { payload } = await jwtVerify(token, keyOf(cfg.secret), {
      algorithms: ALGORITHMS,
      issuer: cfg.issuer,
      audience: cfg.audience,
      requiredClaims: ["sub", "jti", "exp"],
    });
    if (typeof payload.org !== "string" || !payload.sub || !payload.jti) return null;
    return { sub: payload.sub, org: payload.org, jti: payload.jti };
  } catch {
    return null;
  }
}

export const tokenConfig = (env: Env): TokenConfig => {
  const { jwtSecret, issuer, audience } = config(env).auth;
  return { secret: jwtSecret, issuer, audience };
};
