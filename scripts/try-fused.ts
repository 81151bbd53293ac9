import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/backend';
import { fusedLossAndGrads } from '../src/engine/fused/elman';
import { lossAndGrads } from '../src/engine/elman';
import { compareGradients, plainLossAndGrads, randomProblem } from '../src/check/gradcheck';
async function main() {
  await initBackend();
  for (const hidden of [1, 3, 16, 17]) for (const bias of [true, false]) for (const loss of ['mse', 'bce'] as const) {
    const { params, data } = randomProblem({ bits: 8, hidden, batch: 5, seed: 3, bias, loss });
    const a = plainLossAndGrads(lossAndGrads, params, data, loss);
    const b = plainLossAndGrads(fusedLossAndGrads, params, data, loss);
    console.log(hidden, bias, loss, a.loss, b.loss, compareGradients('x', a.grads, b.grads, 1e-3).message);
  }
  console.log(tf.memory().numTensors);
}
import { elmanKernel } from '../src/engine/fused/kernel';
import { fusedGrads } from '../src/engine/fused/elman';
import { initParams, mapParams } from '../src/engine/params';
import { encodePairs } from '../src/data/bits';
import { randomPairs, seededRng } from '../src/data/sample';
import { inputTensor, targetTensor } from '../src/engine/batch-tensors';
async function bench() {
  await initBackend();
  for (const bits of [8, 16]) {
  const params = initParams({ hidden: 16, bias: true }, 1);
  const pairs = randomPairs(seededRng(1), bits, 64);
  const enc = encodePairs(pairs.a, pairs.b, bits + 1);
  const fp = mapParams(params, (w) => w.dataSync() as Float32Array);
  const k = elmanKernel();
  const time = (label: string, f: () => void) => {
    for (let i = 0; i < 300; i++) f();
    let best = Infinity;
    for (let r = 0; r < 7; r++) { const s = performance.now(); for (let i = 0; i < 300; i++) f(); best = Math.min(best, (performance.now() - s) / 300); }
    console.log(bits, label, (best * 1000).toFixed(1), 'us');
  };
  time('kernel lossAndGrads', () => k.lossAndGrads(fp, enc.x, enc.y, 64, bits + 1, 'mse'));
  time('kernel forward', () => k.forward(fp, enc.x, 64, bits + 1));
  time('tensor fusedGrads incl x,y,params tensors', () => {
    const p = mapParams(fp, (w, n) => tf.tensor(w, params[n]!.shape));
    const x = inputTensor(enc), y = targetTensor(enc);
    const g = fusedGrads(p, x, y, 'mse');
    mapParams(g.grads, (t) => t.dataSync()); g.outputs.yhat.dataSync();
    tf.dispose([x, y, g.outputs.logits, g.outputs.yhat, ...Object.values(g.grads), ...Object.values(p)]);
  });
  }
}
main().then(bench);
