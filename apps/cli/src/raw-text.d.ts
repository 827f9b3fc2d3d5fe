/** `import text from "./file?raw"`: a file's content as a string (vite in tests, scripts/bundle.mjs in the build). */
declare module "*?raw" {
  const text: string;
  export default text;
}
