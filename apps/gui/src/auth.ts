/** The GUI's authentication state, provided to the shell's components. */
import type { InjectionKey } from "vue";
import type { AuthSession } from "./api/auth-session.js";

/** The session plus what to do when the token changed (refresh what is shown). */
export interface AuthSessionContext extends AuthSession {
  onChanged(): void;
}

export const AUTH: InjectionKey<AuthSessionContext> = Symbol("kuma-gui-auth");
