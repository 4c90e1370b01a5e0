import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/**
 * Pipeline definitions on disk:
 *
 * - the config directory (`pipelines.dir`): `<id>.yaml`, `<id>.yml` or `<id>.json`, one pipeline per
 *   file, and `_routes.yaml` for the route table; read at start-up and on reload, never written;
 * - `<dataDir>/pipelines/`: what the API creates, as `<id>.json` and `_routes.json`.
 */
export interface DefinitionFile {
  id: string;
  path: string;
  definition: unknown;
}

export interface FileProblem {
  path: string;
  message: string;
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
export const ROUTES_ID = '_routes';

/** Reads every definition file of a directory (a missing directory has none). */
export async function readDefinitions(
  dir: string,
): Promise<{ files: DefinitionFile[]; problems: FileProblem[] }> {
  const files: DefinitionFile[] = [];
  const problems: FileProblem[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { files, problems };
    throw err;
  }
  for (const name of names.sort()) {
    const ext = extname(name).toLowerCase();
    if (!EXTENSIONS.has(ext)) continue;
    const path = join(dir, name);
    const id = basename(name, extname(name));
    try {
      const text = await readFile(path, 'utf8');
      const definition: unknown = ext === '.json' ? JSON.parse(text) : parseYaml(text);
      files.push({ id, path, definition });
    } catch (err) {
      problems.push({
        path,
        message: `cannot read ${ext === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`,
      });
    }
  }
  return { files, problems };
}

/** Writes `<dir>/<id>.json` atomically (write then rename). */
export async function writeDefinition(dir: string, id: string, definition: unknown): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${id}.json`);
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, `${JSON.stringify(definition, null, 2)}\n`);
  await rename(temp, path);
  return path;
}

export async function deleteDefinition(dir: string, id: string): Promise<void> {
  await rm(join(dir, `${id}.json`), { force: true });
}
