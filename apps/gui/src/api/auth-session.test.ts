import { describe, expect, it } from "vitest";
import { createAuthSession } from "./auth-session.js";

/** A Storage in memory. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (i) => [...items.keys()][i] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
}

const answer = (status: number, body = "{}", headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "Content-Type": "application/json", ...headers } });

describe("the GUI's auth session", () => {
  it("keeps the token in the given (session) storage and sends it as a Bearer header", async () => {
    const storage = memoryStorage();
    const session = createAuthSession(storage);
    session.setToken("  abc.def.ghi ");
    expect(storage.getItem("kuma-gui.token")).toBe("abc.def.ghi");
    expect(createAuthSession(storage).token.value).toBe("abc.def.ghi");
    let sent: Headers | undefined;
    const fetch = session.wrap(async (_input, init) => {
      sent = new Headers(init?.headers);
      return answer(200);
    });
    await fetch("/api/meshes", { headers: { Accept: "application/json" } });
    expect(sent?.get("authorization")).toBe("Bearer abc.def.ghi");
    expect(sent?.get("accept")).toBe("application/json");
    session.setToken("");
    expect(storage.getItem("kuma-gui.token")).toBeNull();
  });

  it("turns 401, 403 and 429 into notices, and waits out Retry-After", async () => {
    let now = 1000;
    const session = createAuthSession(memoryStorage(), () => now);
    const statuses = [401, 403, 429, 200];
    const fetch = session.wrap(async () => {
      const status = statuses.shift()!;
      if (status === 403) return answer(403, JSON.stringify({ title: "Access Denied", details: 'user "x" cannot list' }));
      if (status === 429) return answer(429, "{}", { "Retry-After": "2" });
      return answer(status);
    });
    await fetch("/a");
    expect(session.notice.value).toEqual({ kind: "invalid-token" });
    await fetch("/a");
    expect(session.notice.value).toEqual({ kind: "denied", details: 'user "x" cannot list' });
    await fetch("/a");
    expect(session.notice.value).toEqual({ kind: "rate-limited", until: 3000 });
    now = 3000; // the back-off has passed
    await fetch("/a");
    expect(session.notice.value).toBeUndefined();
  });
});
