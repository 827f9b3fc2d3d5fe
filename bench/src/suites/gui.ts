/**
 * The web GUI: the first render of the dataplanes page (a mesh of 1,000
 * dataplanes, 50 a page) in headless Chromium against the same data fetched
 * and written into a plain table by a script on the same origin, alternating;
 * and the JavaScript a first load fetches, gzipped, against the Vue runtime
 * alone. Both targets are absolute: a p50 under 1.5 s, and at most 250 KB.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium, type Browser, type Page } from "@playwright/test";
import type { Benchmark } from "../benchmark.js";
import { alternate, rowOf, type Row } from "../compare.js";
import { startOurs } from "../context.js";
import { median } from "../load.js";
import { freePort } from "../processes.js";
import { seedViaApi } from "../seed.js";

const MESH = "gui";
/** The dataplanes of the mesh the page shows (full mode). */
const DATAPLANES = 1000;
const PAGE_SIZE = 50;
/** Loads of the page per side and round: a round's value is their median. */
const LOADS_PER_ROUND = 3;
/** Debian's Chromium, as the GUI's browser tests use it. */
const CHROMIUM = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";

const require = createRequire(import.meta.url);

/** Milliseconds from a new browser context's first request until `done` resolves in it. */
async function timedLoad(browser: Browser, load: (page: Page) => Promise<void>): Promise<number> {
  // A new context each time: an empty cache and no service state, as a first visit.
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const started = performance.now();
    await load(page);
    return performance.now() - started;
  } finally {
    await context.close();
  }
}

async function medianOf(runs: number, measure: () => Promise<number>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await measure());
  return median(samples);
}

const firstRender: Benchmark = {
  id: "gui/first-render",
  async run(ctx): Promise<Row> {
    const dataplanes = ctx.settings.thresholds ? DATAPLANES : PAGE_SIZE * 2;
    const guiPort = await freePort();
    const server = await startOurs("ours (gui)", { KUMA_GUI_SERVER_PORT: String(guiPort) });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
    try {
      await seedViaApi(server.url, MESH, dataplanes);
      const gui = `http://127.0.0.1:${guiPort}`;
      const page = `${gui}/meshes/${MESH}/dataplanes?size=${PAGE_SIZE}`;
      const ours = () =>
        timedLoad(browser, async (tab) => {
          await tab.goto(page);
          await tab.locator("[data-testid^=row-]").nth(PAGE_SIZE - 1).waitFor();
        });
      const baseline = () =>
        timedLoad(browser, async (tab) => {
          await tab.goto(`${gui}/config`);
          // Runs in the page: `document` is the page's (this file is compiled without the DOM's types).
          await tab.evaluate(async (url) => {
            const { items } = (await (await fetch(url)).json()) as { items: { name: string }[] };
            const rows = items.map((item) => `<tr><td>${item.name}</td></tr>`).join("");
            (globalThis as unknown as { document: { body: { innerHTML: string } } }).document.body.innerHTML = `<table>${rows}</table>`;
          }, `/api/meshes/${MESH}/dataplanes+insights?size=${PAGE_SIZE}`);
          await tab.locator("tr").nth(PAGE_SIZE - 1).waitFor();
        });
      const samples = await alternate(
        ctx.settings.rounds,
        () => medianOf(LOADS_PER_ROUND, baseline),
        () => medianOf(LOADS_PER_ROUND, ours),
      );
      return rowOf({
        id: "gui/first-render",
        operation: `GUI: first render of the dataplanes page (${dataplanes.toLocaleString("en")} dataplanes, ${PAGE_SIZE} a page)`,
        unit: "ms",
        baselineName: "fetch + plain table",
        target: { op: "<=", value: 1500, absolute: true },
        samples,
        thresholds: ctx.settings.thresholds,
        details: { page, dataplanes, loadsPerRound: LOADS_PER_ROUND },
      });
    } finally {
      await browser.close();
      await server.stop();
    }
  },
};

/** The gzipped bytes of the scripts `index.html` loads at once (its module script and its preloads). */
async function firstLoadScripts(guiDir: string): Promise<{ bytes: number; files: string[] }> {
  const html = await readFile(join(guiDir, "index.html"), "utf8");
  const files = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\/([^"]+\.js)"/g)].map((m) => m[1]!);
  let bytes = 0;
  for (const file of files) bytes += gzipSync(await readFile(join(guiDir, file))).length;
  return { bytes, files };
}

const bundleSize: Benchmark = {
  id: "gui/bundle",
  async run(ctx): Promise<Row> {
    // The GUI as kuma-cp serves it: the copy embedded in the server package.
    const guiDir = join(dirname(require.resolve("@kuma-ts/server/package.json")), "dist", "gui");
    const ours = await firstLoadScripts(guiDir);
    const vueRuntime = gzipSync(await readFile(require.resolve("vue/dist/vue.runtime.esm-browser.prod.js"))).length;
    const kb = (bytes: number) => bytes / 1024;
    return rowOf({
      id: "gui/bundle",
      operation: "GUI: JavaScript of a first load, gzipped",
      unit: "KB",
      baselineName: "the Vue runtime alone",
      target: { op: "<=", value: 250, absolute: true },
      samples: { ours: [kb(ours.bytes)], baseline: [kb(vueRuntime)] },
      thresholds: ctx.settings.thresholds,
      details: { files: ours.files },
    });
  },
};

export const guiBenchmarks: Benchmark[] = [firstRender, bundleSize];
