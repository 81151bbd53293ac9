// Replacing a directory so that a reader finds the old one or the new one, never a mix of the two, and a
// crash or an error never destroys the old one (docs/model-format.md).
import { randomBytes } from 'crypto';
import { constants as fsConstants, promises as fs } from 'fs';
import * as path from 'path';
import { UserError } from '../errors';

export interface ReplaceOptions {
  /** The files a replaceable directory may hold: anything else means the directory is not ours to replace. */
  replaceable: readonly string[];
  /** The rename to use; a test passes a failing one to show that the old directory survives. */
  rename?: (from: string, to: string) => Promise<void>;
  /** The target, already taken by lockTarget; without it the save takes and releases it. */
  lock?: SaveLock;
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

const SAVING = '.saving-';
const PREVIOUS = '.previous-';
const LOCK = '.lock';

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

/** Whether a process is running: signal 0 checks without sending anything (EPERM: it runs, as another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
}

/**
 * The siblings `NAME.saving-PID-TAG` or `NAME.previous-PID-TAG` of target (as replaceLocked names them) left by
 * processes no longer running, sorted by name. Anything else that happens to share the prefix is not ours.
 */
async function deadSiblings(target: string, kind: string): Promise<string[]> {
  const prefix = path.basename(target) + kind;
  let names: string[];
  try {
    names = await fs.readdir(path.dirname(target));
  } catch {
    return [];
  }
  const ownerOf = (name: string) => /^(\d+)-[0-9a-f]{8}$/.exec(name.slice(prefix.length))?.[1];
  return names
    .filter((name) => name.startsWith(prefix) && ownerOf(name) !== undefined && !isRunning(Number(ownerOf(name))))
    .sort()
    .map((name) => path.join(path.dirname(target), name));
}

/**
 * The copy of target that a save killed between its two renames left (`NAME.previous-…`), when target itself is
 * missing: the previous model, whole, under another name. Undefined when there is none.
 */
export async function interruptedSaveCopy(target: string): Promise<string | undefined> {
  return (await deadSiblings(target, PREVIOUS)).pop();
}

/** Whether a running rnn-adder holds target's lock: a save to it may be renaming it at this moment. */
export async function isBeingSaved(target: string): Promise<boolean> {
  const owner = Number.parseInt(await fs.readFile(path.resolve(target) + LOCK, 'utf8').catch(() => ''), 10);
  return Number.isInteger(owner) && isRunning(owner);
}

/** A save target held by this process: no other rnn-adder saves to it until release. */
export interface SaveLock {
  target: string;
  release(): Promise<void>;
}

async function takeLockFile(target: string, lockFile: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.writeFile(lockFile, `${process.pid}\n`, { flag: 'wx' });
      return;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') {
        throw new UserError(`cannot save to ${target}: cannot create ${lockFile} (${errorCode(error) ?? (error as Error).message})`);
      }
    }
    const owner = Number.parseInt(await fs.readFile(lockFile, 'utf8').catch(() => ''), 10);
    if (attempt > 0 || (Number.isInteger(owner) && isRunning(owner))) {
      throw new UserError(
        `${target} is being saved by another rnn-adder (pid ${owner}); wait for it, or remove ${lockFile} if no such process runs`,
      );
    }
    // The owner died without releasing the lock (killed): its lock is stale.
    await fs.rm(lockFile, { force: true });
  }
}

/**
 * Checks that target can be saved to and takes it, before any work that ends in the save: target is absent
 * or a directory of replaceable files (not a file, not a symbolic link), its parent exists (created if need
 * be) and is writable, and no other process holds it. A lock file `NAME.lock` beside target, holding the
 * holder's pid, refuses a second writer at once; one left by a process that is no longer running is taken over.
 * Under the lock, what killed saves left is tidied: a previous model whose save died between its two renames
 * is put back when target is missing, and their temporary directories are removed.
 */
export async function lockTarget(target: string, replaceable: readonly string[]): Promise<SaveLock> {
  const resolved = path.resolve(target);
  const stat = await fs.lstat(resolved).catch((error) => {
    if (errorCode(error) === 'ENOENT') return undefined;
    if (errorCode(error) === 'ENOTDIR') throw new UserError(`cannot save to ${target}: a part of its path is a file`);
    throw new UserError(`cannot save to ${target}: ${errorCode(error)}`);
  });
  if (stat?.isSymbolicLink()) throw new UserError(`cannot save to ${target}: it is a symbolic link (name the directory itself)`);
  if (stat !== undefined) await checkReplaceable(target, stat.isDirectory(), replaceable);
  try {
    await fs.mkdir(path.dirname(resolved), { recursive: true });
  } catch (error) {
    throw new UserError(`cannot save to ${target}: cannot create ${path.dirname(resolved)} (${errorCode(error)})`);
  }
  const lockFile = resolved + LOCK;
  await takeLockFile(target, lockFile);
  const lock = { target: resolved, release: () => fs.rm(lockFile, { force: true }) };
  try {
    const previous = await deadSiblings(resolved, PREVIOUS);
    if (stat === undefined && previous.length > 0) await fs.rename(previous.pop()!, resolved);
    for (const stale of [...previous, ...(await deadSiblings(resolved, SAVING))]) await fs.rm(stale, { recursive: true, force: true });
  } catch (error) {
    await lock.release();
    throw error;
  }
  return lock;
}

/**
 * Refuses a target that is not a directory holding only replaceable files, or whose files could not be removed
 * once the new one is in place (a directory the user may not write into): refused before any work, the old
 * model untouched, rather than installed and then left half removed.
 */
async function checkReplaceable(target: string, isDirectory: boolean, replaceable: readonly string[]): Promise<void> {
  if (!isDirectory) throw new UserError(`cannot save to ${target}: it exists and is not a directory`);
  try {
    await fs.access(target, fsConstants.W_OK | fsConstants.X_OK);
  } catch (error) {
    throw new UserError(`cannot replace ${target}: ${errorCode(error)} (the previous model's files could not be removed from it; make it writable)`);
  }
  const foreign = (await fs.readdir(target)).filter((name) => !replaceable.includes(name));
  if (foreign.length > 0) {
    throw new UserError(
      `refusing to replace ${target}: it holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}, ` +
        `which is not part of a saved model`,
    );
  }
}

/**
 * Fills a fresh sibling of target, flushes it, and renames it into place. An existing target is first renamed
 * aside and removed only once the new one is in place; on a failure the fresh directory is removed and the
 * old target renamed back. The siblings are visible (`NAME.saving-PID-…`, `NAME.previous-PID-…`) so that, after
 * a crash between the two renames, the previous directory is easy to find; loading names it, and the next
 * lockTarget puts it back. The caller may hold target already (lockTarget before a long run); otherwise it is
 * locked for the save.
 */
export async function replaceDirectory(
  target: string,
  fill: (dir: string) => Promise<void>,
  options: ReplaceOptions,
): Promise<void> {
  const lock = options.lock ?? (await lockTarget(target, options.replaceable));
  try {
    await replaceLocked(target, lock.target, fill, options);
  } finally {
    if (options.lock === undefined) await lock.release();
  }
}

async function replaceLocked(
  target: string,
  resolved: string,
  fill: (dir: string) => Promise<void>,
  options: ReplaceOptions,
): Promise<void> {
  const rename = options.rename ?? fs.rename;
  const parent = path.dirname(resolved);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const fresh = resolved + SAVING + tag;
  const aside = resolved + PREVIOUS + tag;
  const stat = await fs.lstat(resolved).catch(() => undefined);
  if (stat !== undefined) await checkReplaceable(target, stat.isDirectory(), options.replaceable);
  const replacing = stat !== undefined;
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
