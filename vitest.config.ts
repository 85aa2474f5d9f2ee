import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

// The package's own JSX runtime, for .test.tsx files (jsxImportSource: 'lona-ts'): Vite does
// not resolve a package's self-reference, so point it at the source.
const jsxRuntime = fileURLToPath(new URL('./src/html/jsx-runtime.ts', import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      'lona-ts/jsx-runtime': jsxRuntime,
      'lona-ts/jsx-dev-runtime': jsxRuntime,
    },
  },
  esbuild: { jsx: 'automatic', jsxImportSource: 'lona-ts' },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'test/**/*.e2e.ts'],
    // The starter project's own tests run with node:test, in a generated project.
    exclude: [...configDefaults.exclude, 'src/cli/starter/**'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
