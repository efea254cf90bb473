import { call, type GetMeResponse, getMe } from "./api.ts";

export const session = $state<{ me: GetMeResponse | null; loaded: boolean }>({ me: null, loaded: false });

export async function loadSession() {
  try {
    session.me = await call(getMe());
  } catch {
    session.me = null;
  }
  session.loaded = true;
}

export const canEdit = (report: { createdBy: string | null }) =>
  session.me?.user.role === "admin" || (session.me?.user.role === "editor" && report.createdBy === session.me.user.id);
export const canCreate = () => session.me?.user.role === "admin" || session.me?.user.role === "editor";
