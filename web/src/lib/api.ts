import { client } from "./api/generated/client.gen";

export * from "./api/generated/sdk.gen";
export type * from "./api/generated/types.gen";

// Same origin: the session is the HttpOnly cookie the API sets at sign-in.
client.setConfig({ baseUrl: "/api", credentials: "same-origin" });

export type ApiErrorBody = { error: { code: string; message: string; details?: { path?: string; message: string }[]; requestId: string } };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | undefined,
  ) {
    super(body?.error?.message ?? `Request failed (${status})`);
  }
  /** Messages keyed by field path, for showing next to the inputs. */
  fieldErrors(): Record<string, string> {
    return Object.fromEntries((this.body?.error.details ?? []).filter((d) => d.path).map((d) => [d.path!, d.message]));
  }
}

/** Every call goes through here: data on success, an ApiError (with the envelope) otherwise. */
export async function call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await request;
  if (!response.ok) throw new ApiError(response.status, error as ApiErrorBody | undefined);
  return data as T;
}
