/**
 * The path traversal corpus (SPEC §3.10, §8): request paths that try to leave a static
 * directory by dot segments, every encoding of them (single, double, overlong UTF-8,
 * full-width, backslashes, NUL bytes, path parameters) and absolute paths. It is shared
 * by the StaticFiles unit test (a bare server) and the reliability suite (the app's real
 * static and client-file routes, and FileResponse roots).
 *
 * The corpus assumes the fixture layout of src/server/static-files.test.ts: `<root>/public`
 * is the static dir; `<root>/package.json` and `<root>/outside/secret.txt` must never be
 * served; `public/linkdir-outside` is a symlink to `<root>/outside`. Every path must be
 * answered with 400 or 404, never with what lies outside.
 */
import { join } from 'node:path';

export function traversalCorpus(prefix: string, root: string): string[] {
  const p = prefix;
  return [
    `${p}../package.json`,
    `${p}../../package.json`,
    `${p}sub/../../package.json`,
    `${p}%2e%2e/package.json`,
    `${p}%2E%2E/package.json`,
    `${p}..%2fpackage.json`,
    `${p}..%2Fpackage.json`,
    `${p}%2e%2e%2fpackage.json`,
    `${p}%2e%2e%5cpackage.json`,
    `${p}..%5cpackage.json`,
    `${p}..\\package.json`,
    `${p}....//package.json`,
    `${p}....//....//package.json`,
    `${p}.../package.json`,
    `${p}%00`,
    `${p}app.css%00`,
    `${p}app.css%00.txt`,
    `${p}%00/../package.json`,
    `${p}/package.json`,
    `${p}${join(root, 'package.json')}`,
    `${p}${encodeURIComponent(join(root, 'package.json'))}`,
    `${p}${encodeURIComponent(join(root, 'outside/secret.txt'))}`,
    `${p}%252e%252e/package.json`,
    `${p}%252e%252e%252fpackage.json`,
    `${p}linkdir-outside/../../package.json`,
    `${p}sub%2f..%2f..%2fpackage.json`,
    // Added by the reliability suite: mixed and partial encodings of the dots.
    `${p}.%2e/package.json`,
    `${p}%2e./package.json`,
    `${p}sub/.%2e/.%2e/package.json`,
    `${p}%2e%2e%2f%2e%2e%2fpackage.json`,
    // Overlong UTF-8 and IIS-style encodings of '.', '/' and '\'.
    `${p}%c0%ae%c0%ae/package.json`,
    `${p}%e0%80%ae%e0%80%ae/package.json`,
    `${p}..%c0%afpackage.json`,
    `${p}..%c1%9cpackage.json`,
    `${p}%u002e%u002e/package.json`,
    // Full-width dots and slashes name other files, never the parent.
    `${p}%ef%bc%8e%ef%bc%8e/package.json`,
    `${p}..%ef%bc%8fpackage.json`,
    // Backslashes, doubled and encoded twice.
    `${p}..%255cpackage.json`,
    `${p}%5c..%5c..%5cpackage.json`,
    `${p}sub\\..\\..\\package.json`,
    // Path parameters and NUL bytes inside the dots.
    `${p}..;/package.json`,
    `${p}%2e%2e;/package.json`,
    `${p}.%00./package.json`,
    `${p}..%00/package.json`,
    // Through the symlinked directory, encoded.
    `${p}linkdir-outside%2fsecret.txt`,
    `${p}linkdir-outside/%2e%2e/package.json`,
    // Deep climbs towards well-known system files, and absolute paths.
    `${p}${'../'.repeat(30)}etc/passwd`,
    `${p}${'..%2f'.repeat(30)}etc%2fpasswd`,
    `${p}${'%2e%2e/'.repeat(30)}etc/passwd`,
    `${p}%2fetc%2fpasswd`,
    `${p}/etc/passwd`,
    `${p}file:%2f%2f%2fetc%2fpasswd`,
  ];
}

/** Text that must never appear in an answer to the corpus (besides the fixture's secrets). */
export const SYSTEM_FILE_MARKER = 'root:x:0:0';
