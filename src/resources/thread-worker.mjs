// The script each `runInThread()` worker thread runs (a plain .mjs file, so that it loads
// without a TypeScript loader). It registers tsx when it is installed, so tasks may live
// in .ts modules as they do in the main thread, then imports the task's module and calls
// the named export. Modules are cached by the worker's module loader.
let registered = false;

export default async function runTask({ moduleUrl, exportName, args }) {
  if (!registered) {
    registered = true;
    if (moduleUrl.endsWith('.ts') || moduleUrl.endsWith('.mts') || moduleUrl.endsWith('.tsx')) {
      const { register } = await import('tsx/esm/api');
      register();
    }
  }
  const module = await import(moduleUrl);
  const fn = module[exportName];
  if (typeof fn !== 'function') {
    throw new TypeError(`runInThread: ${moduleUrl} has no exported function '${exportName}'.`);
  }
  return fn(...args);
}
