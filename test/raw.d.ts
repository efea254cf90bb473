/** Files read as text in tests (Vite's ?raw import), e.g. wrangler.toml. */
declare module "*?raw" {
  const text: string;
  export default text;
}
