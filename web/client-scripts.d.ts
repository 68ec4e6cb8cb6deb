/** A client script (`*.client.js`), bundled as its text: the Worker serves it to browsers, never runs it. */
declare module '*.client.js' {
  const source: string;
  export default source;
}
