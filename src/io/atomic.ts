// Replacing a directory so that a reader finds the old one or the new one, never a mix of the two, and a
// crash or an error never destroys the old one (docs/model-format.md).
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { UserError } from '../errors';

export interface ReplaceOptions {
  /** The files a replaceable directory may hold: anything else means the directory is not ours to replace. */
  replaceable: readonly string[];
  /** The rename to use; a test passes a failing one to show that the old directory survives. */
  rename?: (from: string, to: string) => Promise<void>;
}

/** Writes a new file and flushes it to the disk before returning. */
export async function writeFileDurably(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a directory's entries (the names created or renamed in it); Windows cannot open a directory to do so. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Whether target exists as a directory that holds only replaceable files; refuses anything else. */
async function replaceableExisting(target: string, replaceable: readonly string[]): Promise<boolean> {
  let stat;
  try {
    stat = await fs.stat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if (!stat.isDirectory()) throw new UserError(`cannot save to ${target}: it exists and is not a directory`);
  const foreign = (await fs.readdir(target)).filter((name) => !replaceable.includes(name));
  if (foreign.length > 0) {
    throw new UserError(
      `refusing to replace ${target}: it holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}, ` +
        `which is not part of a saved model`,
    );
  }
  return true;
}

/**
 * Fills a fresh sibling of target, flushes it, and renames it into place. An existing target is first renamed
 * aside and removed only once the new one is in place; on a failure the fresh directory is removed and the
 * old target renamed back. The siblings are visible (`NAME.saving-…`, `NAME.previous-…`) so that, after a crash
 * between the two renames, the previous directory is easy to find.
 */
export async function replaceDirectory(
  target: string,
  fill: (dir: string) => Promise<void>,
  options: ReplaceOptions,
): Promise<void> {
  const rename = options.rename ?? fs.rename;
  const resolved = path.resolve(target);
  const parent = path.dirname(resolved);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const fresh = path.join(parent, `${path.basename(resolved)}.saving-${tag}`);
  const aside = path.join(parent, `${path.basename(resolved)}.previous-${tag}`);
  const replacing = await replaceableExisting(target, options.replaceable);
  await fs.mkdir(parent, { recursive: true });
  await fs.mkdir(fresh);
  try {
    await fill(fresh);
    await syncDirectory(fresh);
    if (replacing) await rename(resolved, aside);
    try {
      await rename(fresh, resolved);
    } catch (error) {
      if (replacing) await restore(aside, resolved, rename);
      throw error;
    }
  } catch (error) {
    await fs.rm(fresh, { recursive: true, force: true });
    throw error;
  }
  await syncDirectory(parent);
  if (replacing) await fs.rm(aside, { recursive: true, force: true });
}

async function restore(aside: string, target: string, rename: (from: string, to: string) => Promise<void>) {
  try {
    await rename(aside, target);
  } catch (error) {
    throw new Error(`could not put the previous ${target} back; it is at ${aside} (${(error as Error).message})`);
  }
}
