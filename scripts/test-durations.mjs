// A reporter for `node --test` (used by scripts/test.mjs beside the ordinary one): one JSON line per
// top-level suite or test, with its file and how long it took, so the next run starts the slowest first.
export default async function* durations(source) {
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file) {
      yield `${JSON.stringify({ file: event.data.file, seconds: (event.data.details?.duration_ms ?? 0) / 1000 })}\n`;
    }
  }
}
