import { client } from "./api/generated/client.gen";
import type { Error as ApiErrorBody, ExecutionSummary } from "./api/generated/types.gen";

export * from "./api/generated/sdk.gen";
export type * from "./api/generated/types.gen";
export type { ApiErrorBody };
export type ExecutionStatus = NonNullable<ExecutionSummary>["status"];

// Same origin: the session is the HttpOnly cookie the API sets at sign-in.
client.setConfig({ baseUrl: "/api", credentials: "same-origin" });

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | undefined,
  ) {
    super(body?.error?.message ?? (status ? `Request failed (${status})` : "The server could not be reached"));
  }
  /** Messages keyed by field path, for showing next to the inputs. */
  fieldErrors(): Record<string, string> {
    return Object.fromEntries((this.body?.error.details ?? []).flatMap((d) => (d.path ? [[d.path, d.message]] : [])));
  }
}

const isErrorBody = (body: unknown): body is ApiErrorBody =>
  typeof body === "object" && body !== null && "error" in body && typeof body.error === "object" && body.error !== null;

/** Every call goes through here: data on success, an ApiError (with the envelope) otherwise. */
export async function call<T>(request: Promise<{ data?: T; error?: unknown; response?: Response }>): Promise<T> {
  const { data, error, response } = await request;
  if (!response?.ok) throw new ApiError(response?.status ?? 0, isErrorBody(error) ? error : undefined);
  return data as T;
}

/** The API's message for a failed call, or `fallback` for anything else. */
export const errorMessage = (e: unknown, fallback: string) => (e instanceof ApiError ? e.message : fallback);
