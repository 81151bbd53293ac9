// Chrono initialisation (Tallec & Ollivier 2018, "Can recurrent neural networks warp time?"): an LSTM whose
// forget gate starts near 1 with a spread of time scales up to the lag it must bridge. Forget bias
// b_f = ln u, u ~ U(1, T_max − 1), so that f ≈ 1 − 1/u holds the cell for about u steps; input bias b_i = −b_f.
// From the default (biases 0) the adding problem at T = 100 sits on its plateau (docs/long-lags.md).
import { Rng } from '../data/sample';
import { FlatLayout } from './flat';

/** Overwrites the LSTM's bias (i, f, c, o blocks of H) in the flat weights with chrono's i and f blocks. */
export function chronoBiases(weights: Float32Array, layout: FlatLayout, hidden: number, maxLag: number, rng: Rng): void {
  const at = layout.offsets[layout.names.indexOf('bs')];
  for (let j = 0; j < hidden; j++) {
    const forget = Math.log(1 + rng() * (maxLag - 2));
    weights[at + hidden + j] = forget;
    weights[at + j] = -forget;
  }
}
