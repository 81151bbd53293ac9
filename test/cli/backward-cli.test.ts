// `rnn-adder add A B --trace --backward` on the real binary: the per-step table, and the JSON whose total is
// `grads --pairs "A+B"` and float64 finite differences of the same loss, and whose per-step shares sum to it.
import { expect } from 'chai';
import * as path from 'path';
import { initBackend } from '../../src/backend';
import { BPTT_VS_FINITE_DIFF_TOLERANCE, compareGradients, finiteDifferenceGrads } from '../../src/check/gradcheck';
import { plainParams } from '../../src/check/reference';
import { encodePairs } from '../../src/data/bits';
import { disposeParams, PlainParams } from '../../src/engine/params';
import { loadModel } from '../../src/io';
import { expectOneLineError, runCli } from '../support/cli';

const MODEL = path.resolve(__dirname, '..', '..', '..', 'models', 'adder-16');
/** The same float32 operations on the same backend, printed and re-read: equal up to the last digit. */
const SAME_BACKEND_TOL = 1e-6;
/** Absolute, on gradients of ~1e-3: the same float32 operations on the same backend. */
const SAME_BACKEND_ABS = 1e-8;
/** Absolute: Σ_t of the printed shares against the engine's one matMul over all steps, float32 sums in two orders. */
const SUM_ORDER_ABS = 1e-7;

type Nested = number | Nested[];
const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);

function maxDiff(a: Nested, b: Nested): number {
  const [x, y] = [flat(a), flat(b)];
  expect(x.length, 'entries').to.equal(y.length);
  return Math.max(0, ...x.map((v, i) => Math.abs(v - y[i])));
}

describe('cli: add --trace --backward', function () {
  this.timeout(120000);
  let json: any;

  before(async () => {
    await initBackend();
    const run = await runCli(['add', '12', '7', '--trace', '--backward', '--json', '--model', MODEL]);
    expect(run.status, run.stderr).to.equal(0);
    json = JSON.parse(run.stdout);
  });

  it('prints the forward table, then the backward table with a row per step of the model width', async () => {
    const run = await runCli(['add', '12', '7', '--backward', '--model', MODEL]);
    expect(run.status, run.stderr).to.equal(0);
    const lines = run.stdout.trimEnd().split('\n');
    const header = lines.findIndex((line) => /^\s*t\s+∂L\/∂ŷ_t\s+‖dS_t‖\s+‖δ_t‖\s+‖dWs share‖$/.test(line));
    expect(header, run.stdout).to.be.above(17);
    const rows = lines.slice(header + 1, header + 18);
    rows.forEach((row, t) => expect(row, `row ${t}`).to.match(new RegExp(`^\\s*${t}(\\s+-?\\d\\.\\d{3}e[+-]\\d+){4}$`)));
    // s_{−1} = 0: step 0's share of dWs is zero.
    expect(rows[0]).to.match(/0\.000e\+0$/);
    expect(lines.at(-1)).to.equal('19');
  });

  it('its JSON: a step per t with dS [H], delta [H], dWs [H][H], dWx [2][H], dbs [H]; the total equals grads --pairs "12+7"', async () => {
    const { backward } = json;
    expect(backward.steps.map((s: { t: number }) => s.t)).to.deep.equal([...Array(17).keys()]);
    const step = backward.steps[3];
    expect([step.dS.length, step.delta.length, step.dWs.length, step.dWs[0].length, step.dWx.length, step.dbs.length]).to.deep.equal([16, 16, 16, 16, 2, 16]);
    const grads = await runCli(['grads', '--pairs', '12+7', '--json', '--model', MODEL]);
    expect(grads.status, grads.stderr).to.equal(0);
    const want = JSON.parse(grads.stdout);
    expect(backward.loss).to.be.closeTo(want.loss, SAME_BACKEND_TOL * want.loss);
    expect(Object.keys(backward.total)).to.deep.equal(Object.keys(want.grads));
    for (const name of Object.keys(want.grads)) {
      expect(maxDiff(backward.total[name], want.grads[name]), `total.${name} against grads`).to.be.at.most(SAME_BACKEND_ABS);
    }
  });

  it('the per-step shares of dWs, dWx and dbs sum to the total', () => {
    const { steps, total } = json.backward;
    for (const [key, name] of [['dWs', 'Ws'], ['dWx', 'Wx'], ['dbs', 'bs']]) {
      const sum = flat(steps[0][key]).map((_, i) => steps.reduce((acc: number, s: any) => acc + flat(s[key])[i], 0));
      expect(maxDiff(sum, total[name]), `Σ_t ${key} against total.${name}`).to.be.at.most(SUM_ORDER_ABS);
    }
  });

  it('the total agrees with float64 finite differences of the same loss', async () => {
    const model = await loadModel(MODEL);
    let plain: PlainParams;
    try {
      plain = plainParams(model.params);
    } finally {
      disposeParams(model.params);
    }
    const fd = finiteDifferenceGrads(plain, encodePairs([12n], [7n], 17), 'mse');
    const comparison = compareGradients('add --backward vs finite differences', fd, json.backward.total, BPTT_VS_FINITE_DIFF_TOLERANCE);
    expect(comparison.ok, comparison.message).to.equal(true);
  });

  it('refuses a bad operand in one line, exit 2 (usage)', async () => {
    expectOneLineError(await runCli(['add', '12', '-7', '--backward', '--model', MODEL]), 'the second operand must be non-negative, got "-7"', 2);
  });
});
