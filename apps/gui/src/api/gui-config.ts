/** `GET /config` of the GUI server (not of the API): where the API is, and the environment. */

/** What the GUI server's `/config` answers (Kuma 0.4's two keys). */
export interface GuiConfig {
  readonly apiUrl: string;
  readonly environment: string;
}

/** Reads the GUI server's `/config`; an answer without the two keys is an error. */
export async function loadGuiConfig(fetchFn: typeof fetch = fetch): Promise<GuiConfig> {
  const response = await fetchFn("/config", { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`GET /config answered ${response.status}`);
  const body = (await response.json()) as Partial<GuiConfig>;
  if (typeof body.apiUrl !== "string" || typeof body.environment !== "string") {
    throw new Error("GET /config did not answer {apiUrl, environment}");
  }
  return { apiUrl: body.apiUrl, environment: body.environment };
}
