// Files read as text through vite: `import readme from "../README.md?raw"` (test/readme-examples.test.ts).
declare module "*?raw" {
  const text: string;
  export default text;
}
