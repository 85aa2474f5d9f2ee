/**
 * Reads a V8 .cpuprofile (`node --cpu-prof`) and names where the time went: the top
 * frames by self time, and self time by area (lona-ts source, ws, Node internals, GC,
 * idle). Used by `npm run bench -- --cpu-prof`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Frame {
  name: string;
  where: string;
  selfMs: number;
  /** Share of the busy (non-idle) time. */
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  top: Frame[];
  areas: Array<{ area: string; selfMs: number; share: number }>;
}

function areaOf(url: string, name: string): string {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(program)') return 'V8/native (program)';
  if (url.includes('/node_modules/ws/')) return 'ws';
  if (url.includes('/node_modules/')) return 'other packages';
  if (url.includes('/src/')) return 'lona-ts src/';
  if (url.includes('/bench/')) return 'bench app';
  if (url.startsWith('node:')) return 'Node internals';
  return 'native/other';
}

function shortWhere(url: string, line: number): string {
  if (!url) return '(native)';
  const cut = url.replace(/^file:\/\/.*?\/(src|bench|node_modules)\//, '$1/');
  return `${cut}:${line + 1}`;
}

/**
 * `skipMs`: samples in the first ms of the profile are left out (module loading);
 * `topN`: how many frames to name.
 */
export function summarizeProfile(
  path: string,
  options: { skipMs?: number; topN?: number } = {},
): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  const from = profile.startTime + (options.skipMs ?? 0) * 1000;
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < from) continue;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  let idleUs = 0;
  let totalUs = 0;
  const frames = new Map<string, { name: string; where: string; us: number }>();
  const areas = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    totalUs += us;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const name = functionName || '(anonymous)';
    const where = shortWhere(url, lineNumber);
    const key = `${name}@${where}`;
    const frame = frames.get(key) ?? { name, where, us: 0 };
    frame.us += us;
    frames.set(key, frame);
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const busyUs = Math.max(1, totalUs - idleUs);
  return {
    totalMs: totalUs / 1000,
    idleMs: idleUs / 1000,
    top: [...frames.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, options.topN ?? 15)
      .map((f) => ({ name: f.name, where: f.where, selfMs: f.us / 1000, share: f.us / busyUs })),
    areas: [...areas.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([area, us]) => ({ area, selfMs: us / 1000, share: us / busyUs })),
  };
}
