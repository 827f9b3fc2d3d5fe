import vue from "@vitejs/plugin-vue";
import { defaultClientConditions, defineConfig } from "vite";

/** Where `pnpm dev` finds a running kuma-cp (`pnpm start`). */
const API = process.env.KUMA_API_URL ?? "http://localhost:5681";

export default defineConfig({
  plugins: [vue()],
  // Workspace packages (the client, the model) are bundled from their TypeScript sources: the
  // GUI's build needs no other package built first (the server, which embeds it, is built after it).
  resolve: { conditions: ["source", ...defaultClientConditions] },
  build: {
    // The GUI server caches every file under assets/ for a year: they must carry a content hash.
    assetsDir: "assets",
    // Small assets become data: URLs, which the GUI's CSP allows for images only.
    assetsInlineLimit: 0,
    target: "es2022",
    reportCompressedSize: false,
  },
  server: {
    proxy: {
      "/api": { target: API, rewrite: (path) => path.replace(/^\/api/, "") || "/" },
    },
  },
});
