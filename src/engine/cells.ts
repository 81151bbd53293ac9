// The cell engines by name, and the engine a parameter set's shapes call for.
import { CellEngine } from './cell';
import { elman } from './elman';
import { gru } from './gru';
import { lstm } from './lstm';
import { CellName, configOf, Params } from './params';

export { CELLS, CellName } from './params';

/** Each cell's hand-derived BPTT engine. */
export const CELL_ENGINES: Record<CellName, CellEngine> = { elman, lstm, gru } as Record<CellName, CellEngine>;

/** The engine of the cell these parameters belong to (read from Ws [H, G·H]). */
export function engineFor(p: Params): CellEngine {
  return CELL_ENGINES[configOf(p).cell!];
}
