import adapter from "@sveltejs/adapter-static";
import { sveltekit } from "@sveltejs/kit/vite";
import { defineConfig } from "vite";

// SvelteKit 3 takes its options here (it no longer reads svelte.config.js). The dashboard is a
// static single-page app served by the Worker; /api goes to the Worker in development too.
export default defineConfig({
  plugins: [sveltekit({ adapter: adapter({ fallback: "index.html" }) })],
  server: { proxy: { "/api": "http://127.0.0.1:8787" } },
});
