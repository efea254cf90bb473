import { call, getMe } from "./api";

type Me = { user: { id: string; email: string; name: string; role: "admin" | "editor" | "viewer" }; organization: { id: string; name: string } };

export const session = $state<{ me: Me | null; loaded: boolean }>({ me: null, loaded: false });

export async function loadSession() {
  try {
    session.me = (await call(getMe())) as Me;
  } catch {
    session.me = null;
  }
  session.loaded = true;
}

export const canEdit = (report: { createdBy: string | null }) =>
  session.me?.user.role === "admin" || (session.me?.user.role === "editor" && report.createdBy === session.me.user.id);
export const canCreate = () => session.me?.user.role === "admin" || session.me?.user.role === "editor";
