import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig } from "vitest/config";

// Unit tests of the dashboard's plain logic (runes modules such as the wizard's draft), without
// SvelteKit and without a browser: `npm test -w web`. The browser tests live in test/e2e.
export default defineConfig({
  plugins: [svelte()],
  resolve: { conditions: ["browser"] },
  test: { include: ["src/**/*.test.ts"] },
});
