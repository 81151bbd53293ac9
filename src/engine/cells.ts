// The cell engines by name, and the engine a parameter set's shapes call for.
import { CellEngine } from './cell';
import { CellName, configOf, Params } from './params';

export { CELLS, CellName } from './params';

/**
 * Each cell's hand-derived BPTT engine, its module loaded when first read: a run of one cell does not load the
 * others' (~10 ms CPU of a start). A later read is the module cache's.
 */
export const CELL_ENGINES: Record<CellName, CellEngine> = {
  get elman(): CellEngine {
    return (require('./elman') as typeof import('./elman')).elman;
  },
  get lstm(): CellEngine {
    return (require('./lstm') as typeof import('./lstm')).lstm;
  },
  get gru(): CellEngine {
    return (require('./gru') as typeof import('./gru')).gru;
  },
} as Record<CellName, CellEngine>;

/** The engine of the cell these parameters belong to (read from Ws [H, G·H]). */
export function engineFor(p: Params): CellEngine {
  return CELL_ENGINES[configOf(p).cell!];
}
