import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { transformSync } from 'esbuild';

/** Compiled CommonJS source by path relative to its package root (forward slashes). */
export type ModuleMap = Readonly<Record<string, string>>;

const SOURCE = new Set(['.ts', '.js', '.cjs', '.mts']);
const compiledDirs = new Map<string, ModuleMap>();
let sdkModules: ModuleMap | undefined;

/**
 * The handler modules of a connector folder, compiled for the sandbox: every source file under
 * `handlers/` (handlers may import each other) plus `entries` outside it. Compiled once per folder:
 * a published version's folder never changes, and a new version is a new folder.
 */
export function connectorModules(dir: string, entries: readonly string[] = []): ModuleMap {
  const cached = compiledDirs.get(dir);
  if (cached && entries.every((entry) => entry in cached)) return cached;
  const files = new Set<string>(sourceFiles(join(dir, 'handlers')).map((file) => toKey(relative(dir, file))));
  for (const entry of entries) files.add(toKey(entry));
  const map: Record<string, string> = {};
  for (const file of files) {
    const path = join(dir, file);
    if (existsSync(path)) map[file] = compile(readFileSync(path, 'utf8'), file);
  }
  compiledDirs.set(dir, map);
  return map;
}

/** The SDK as the sandbox imports it, compiled from this installation's copy (never from a link). */
export function sdkModuleMap(): ModuleMap {
  if (sdkModules) return sdkModules;
  const root = join(dirname(require.resolve('@flowcard/sdk/package.json')), 'src');
  const map: Record<string, string> = {};
  for (const file of sourceFiles(root)) {
    const key = toKey(relative(root, file));
    if (!key.endsWith('.test.ts')) map[key] = compile(readFileSync(file, 'utf8'), key);
  }
  sdkModules = map;
  return map;
}

/** A path inside the bundle, as the sandbox names it: forward slashes, no leading `./`. */
export function toKey(path: string): string {
  return path.split(sep).join('/').replace(/^\.\//, '');
}

function compile(source: string, file: string): string {
  const loader = extname(file) === '.js' || extname(file) === '.cjs' ? 'js' : 'ts';
  // sourcefile is the bundle-relative name: stack traces and messages never carry a server path.
  return transformSync(source, { loader, format: 'cjs', target: 'node20', sourcefile: file }).code;
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (SOURCE.has(extname(name)) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out.sort();
}
