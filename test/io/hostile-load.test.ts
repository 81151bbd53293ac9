// The loader against hostile model.json files and against saves racing it: topologies that loop or name layers
// that are not there (refused before tfjs reads them), quantized weights (decoded as tfjs does), messages bounded and
// escaped, an unlistable directory, weights of another save (told by their SHA-256), and loads racing a process
// that keeps saving. Every refusal is one UserError line, fast, with no tensor left behind.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { spawn, spawnSync } from 'child_process';
import { promises as fs } from 'fs';
import * as path from 'path';
import { CLI_MAIN } from '../../scripts/cli';
import { initBackend } from '../../src/backend';
import { disposeParams, initParams, Params, PlainParams } from '../../src/engine/params';
import { UserError } from '../../src/errors';
import { loadModel, saveModel } from '../../src/io';
import { exactAdderParams, editModelJSON, fixtureMetadata, saveFixture, tempDir } from '../support/adders';
import { expectOneLineError } from '../support/cli';
import { RACE_CONFIG, RACE_SEEDS } from '../support/save-loop';

/** A refusal that does not walk the topology's loop: the 3 KB looping file used to spin for good. */
const REFUSE_MS = 500;
/** The longest line a refusal may print, whatever the file holds (it used to print 150–900 KB). */
const MAX_LINE = 400;
/** How long the saver races the loads. */
const RACE_MS = 6_000;
/** Weights decoded from uint8 differ from the float32 arithmetic here by rounding only. */
const DEQUANTIZE_TOLERANCE = 1e-5;

const TERMINAL_CONTROLS = /[\u0000-\u001f\u007f-\u009f]/;

let root: string;
let model: string;

/** A copy of the exact adder with `change` applied. */
async function copyWith(name: string, change: (dir: string) => Promise<void>): Promise<string> {
  const dir = path.join(root, name);
  await fs.cp(model, dir, { recursive: true });
  await change(dir);
  return dir;
}

/** The UserError loading dir gives, with the time it took; asserts no tensor was left behind. */
async function refusal(dir: string): Promise<{ message: string; ms: number }> {
  const before = tf.memory().numTensors;
  const variables = Object.keys(tf.engine().registeredVariables).length;
  const start = Date.now();
  let caught: unknown;
  try {
    disposeParams((await loadModel(dir)).params);
  } catch (error) {
    caught = error;
  }
  const ms = Date.now() - start;
  expect(caught, `loading ${dir} should fail`).to.be.instanceOf(UserError);
  expect(tf.memory().numTensors, 'tensors leaked').to.equal(before);
  expect(Object.keys(tf.engine().registeredVariables).length, 'variables leaked').to.equal(variables);
  const message = (caught as Error).message;
  expect(message, 'one line').to.not.include('\n');
  return { message: message.split(dir).join('DIR'), ms };
}

/** The saved adder's Sequential topology rewritten as a functional one whose layers read `inbound`. */
function functional(json: any, inbound: Record<string, string[]>): void {
  const [rnn, readout] = json.modelTopology.config.layers;
  const layer = (l: any) => ({ name: l.config.name, class_name: l.class_name, config: l.config, inbound_nodes: [inbound[l.config.name].map((n) => [n, 0, 0, {}])] });
  const input = { name: 'input', class_name: 'InputLayer', config: { batch_input_shape: [null, null, 2], dtype: 'float32', sparse: false, name: 'input' }, inbound_nodes: [] };
  json.modelTopology = {
    class_name: 'Model',
    config: { name: 'loop', layers: [input, layer(rnn), layer(readout)], input_layers: [['input', 0, 0]], output_layers: [['readout', 0, 0]] },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
}

/** Half-precision bits of x (round to nearest; the adder's weights are small integers, exact in float16). */
function float16Bits(x: number): number {
  if (x === 0) return Object.is(x, -0) ? 0x8000 : 0;
  const sign = x < 0 ? 0x8000 : 0;
  const exponent = Math.floor(Math.log2(Math.abs(x)));
  const mantissa = Math.round((Math.abs(x) / 2 ** exponent - 1) * 1024);
  return sign | ((exponent + 15) << 10) | mantissa;
}

async function plain(params: Params): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [name, t] of Object.entries(params)) out[name] = Array.from(await t!.data());
  return out;
}

describe('hostile input: the loader', function () {
  this.timeout(120_000);
  let exact: Record<string, number[]>;

  before(async () => {
    await initBackend();
    root = await tempDir('hostile-load');
    const params = exactAdderParams();
    exact = await plain(params);
    model = await saveFixture(path.join(root, 'exact'), params);
    disposeParams(params);
  });
  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  describe('topologies refused before tfjs reads them', () => {
    it(`refuses a functional topology whose layers feed each other, in under ${REFUSE_MS} ms`, async () => {
      const dir = await copyWith('loop', (d) => editModelJSON(d, (j) => functional(j, { rnn: ['readout'], readout: ['rnn'] })));
      expect((await fs.stat(path.join(dir, 'model.json'))).size).to.be.below(4096);
      const { message, ms } = await refusal(dir);
      expect(message).to.equal(`DIR/model.json: the topology's layers rnn, readout feed each other in a cycle`);
      expect(ms).to.be.below(REFUSE_MS);
    });

    it('refuses a layer that reads a layer that is not there', async () => {
      const dir = await copyWith('ghost', (d) => editModelJSON(d, (j) => functional(j, { rnn: ['ghost'], readout: ['rnn'] })));
      const { message, ms } = await refusal(dir);
      expect(message).to.equal(`DIR/model.json: layer "rnn" reads layer "ghost", which is not in the topology`);
      expect(ms).to.be.below(REFUSE_MS);
    });

    it('refuses a functional topology whose output is not a layer', async () => {
      const dir = await copyWith('no-output', (d) =>
        editModelJSON(d, (j) => {
          functional(j, { rnn: ['input'], readout: ['rnn'] });
          j.modelTopology.config.output_layers = [['nowhere', 0, 0]];
        }),
      );
      expect((await refusal(dir)).message).to.equal(`DIR/model.json: output_layers names layer "nowhere", which is not in the topology`);
    });

    it('refuses 10,000 layers in one short line', async () => {
      const dir = await copyWith('many-layers', (d) =>
        editModelJSON(d, (j) => {
          j.modelTopology.config.layers = Array.from({ length: 10_000 }, (_, i) => ({ class_name: 'Dense', config: { name: `l${i}`, units: 1 } }));
        }),
      );
      const { message, ms } = await refusal(dir);
      expect(message).to.equal('DIR/model.json: the topology has 10000 layers, more than the 64 a model can have');
      expect(ms).to.be.below(REFUSE_MS);
    });
  });

  describe('messages bounded and escaped', () => {
    it(`cuts a 500 KB name to a line of at most ${MAX_LINE} characters`, async () => {
      const dir = await copyWith('long-name', (d) => editModelJSON(d, (j) => (j.modelTopology.config.layers[0].config.name = 'x'.repeat(500_000))));
      const { message } = await refusal(dir);
      expect(message.length).to.be.at.most(MAX_LINE);
      expect(message).to.match(/^DIR\/model\.json: the model's layers are "x{80}"…\(499920 more\) \(SimpleRNN\), readout \(Dense\)/);
    });

    it(`cuts a 500 KB weight name likewise`, async () => {
      const dir = await copyWith('long-weight', (d) => editModelJSON(d, (j) => (j.weightsManifest[0].weights[4].name = 'y'.repeat(500_000))));
      expect((await refusal(dir)).message.length).to.be.at.most(MAX_LINE);
    });

    for (const [what, text] of [
      ['an escape sequence', '\u001b[2J\u001b]0;owned\u0007'],
      ['a C1 control (CSI)', '\u009b31m'],
      ['a newline and a bidirectional override', 'mse\n\u202eesm'],
    ]) {
      it(`escapes ${what} from the file`, async () => {
        const dir = await copyWith(`escape-${what.replace(/\W+/g, '-')}`, (d) => editModelJSON(d, (j) => (j.userDefinedMetadata.loss = text)));
        const { message } = await refusal(dir);
        expect(message).to.match(/^DIR\/model\.json: userDefinedMetadata\.loss must be one of mse, bce, got "/);
        expect(message).to.not.match(TERMINAL_CONTROLS);
        expect(message).to.not.match(/[\u202a-\u202e]/);
      });
    }

    it('escapes a layer name that carries an escape sequence in the layers list', async () => {
      const dir = await copyWith('escape-layer', (d) => editModelJSON(d, (j) => (j.modelTopology.config.layers[0].config.name = 'rnn\u001b[31m')));
      const { message } = await refusal(dir);
      expect(message).to.equal(`DIR/model.json: the model's layers are "rnn\\u001b[31m" (SimpleRNN), readout (Dense), expected rnn (SimpleRNN), readout (Dense)`);
    });
  });

  describe('quantized weights', () => {
    /** Rewrites weights.bin in a quantized form, as tfjs' converter writes it, and drops the save's hash. */
    async function quantize(dir: string, dtype: 'uint8' | 'float16'): Promise<Record<string, number[]>> {
      const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
      delete json.userDefinedMetadata.weightsSha256;
      const expected: Record<string, number[]> = {};
      const chunks: Buffer[] = [];
      const names: Record<string, string> = { 'rnn/kernel': 'Wx', 'rnn/recurrent_kernel': 'Ws', 'rnn/bias': 'bs', 'readout/kernel': 'Wy', 'readout/bias': 'by' };
      for (const spec of json.weightsManifest[0].weights) {
        const values = exact[names[spec.name]];
        if (dtype === 'float16') {
          spec.quantization = { dtype: 'float16' };
          const bytes = Buffer.alloc(2 * values.length);
          values.forEach((v, i) => bytes.writeUInt16LE(float16Bits(v), 2 * i));
          chunks.push(bytes);
          expected[names[spec.name]] = values;
        } else {
          const min = Math.min(...values);
          const scale = (Math.max(...values) - min) / 255 || 1;
          spec.quantization = { dtype: 'uint8', scale, min };
          const q = values.map((v) => Math.round((v - min) / scale));
          chunks.push(Buffer.from(q));
          expected[names[spec.name]] = q.map((k) => k * scale + min);
        }
      }
      await fs.writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
      await fs.writeFile(path.join(dir, 'weights.bin'), Buffer.concat(chunks));
      return expected;
    }

    for (const dtype of ['uint8', 'float16'] as const) {
      it(`decodes ${dtype} weights as tfjs does`, async () => {
        let expected: Record<string, number[]> = {};
        const dir = await copyWith(`quantized-${dtype}`, async (d) => {
          expected = await quantize(d, dtype);
        });
        const before = tf.memory().numTensors;
        const loaded = await loadModel(dir);
        const got = await plain(loaded.params);
        disposeParams(loaded.params);
        expect(tf.memory().numTensors, 'tensors leaked').to.equal(before);
        for (const [name, values] of Object.entries(expected)) {
          const worst = Math.max(...values.map((v, i) => Math.abs(v - got[name][i])));
          expect(worst, `${name}: max difference ${worst}`).to.be.at.most(DEQUANTIZE_TOLERANCE);
        }
      });
    }

    it('refuses a quantization tfjs does not know, in one line', async () => {
      const dir = await copyWith('quantized-bad', async (d) => {
        await quantize(d, 'uint8');
        await editModelJSON(d, (j) => (j.weightsManifest[0].weights[0].quantization = { dtype: 'uint8', scale: 'big', min: 0 }));
      });
      expect((await refusal(dir)).message).to.equal(
        'DIR/model.json: weight rnn/kernel has quantization {"dtype":"uint8","scale":"big","min":0}, expected dtype uint8, uint16, float16 (with a finite scale and min for the integers)',
      );
    });
  });

  it('says in one line that a directory cannot be listed (as a user without read permission)', async function () {
    const nobody = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']);
    if (process.getuid?.() !== 0 || nobody.status !== 0) this.skip();
    const dir = path.join(root, 'unlistable');
    await fs.cp(model, dir, { recursive: true });
    await fs.chmod(root, 0o755);
    await fs.chmod(dir, 0o311);
    const run = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI_MAIN, 'add', '1', '2', '--model', dir], {
      encoding: 'utf8',
    });
    expectOneLineError({ status: run.status, stdout: run.stdout, stderr: run.stderr }, `cannot read the model directory ${dir}: EACCES (its permissions do not let you list it)`, 1);
  });

  describe('saves and loads at once', () => {
    it('refuses a model.json beside the weights of another save, naming the mix', async () => {
      const other = initParams({ cell: 'elman', hidden: 3, bias: true }, 7);
      const second = await saveFixture(path.join(root, 'second'), other);
      disposeParams(other);
      const dir = await copyWith('mixed', (d) => fs.copyFile(path.join(second, 'weights.bin'), path.join(d, 'weights.bin')));
      expect((await refusal(dir)).message).to.equal(
        'DIR/model.json: the weights are not those this model.json was saved with (their SHA-256 differs): ' +
          'a save replaced the model while it was read, or its files were mixed by hand',
      );
    });

    it(`gives every load racing a saving process one whole save or one clear line, never a mix or ENOENT`, async () => {
      const dir = path.join(root, 'race');
      const expected = new Map<number, PlainParams>();
      for (const seed of RACE_SEEDS) {
        const params = initParams(RACE_CONFIG, seed);
        expected.set(seed, (await plain(params)) as unknown as PlainParams);
        if (seed === RACE_SEEDS[0]) await saveModel(dir, params, { ...fixtureMetadata(RACE_CONFIG), seed });
        disposeParams(params);
      }
      const saver = spawn(process.execPath, [path.join(__dirname, '..', 'support', 'save-loop.js'), dir, String(RACE_MS)]);
      let saverOut = '';
      saver.stdout.on('data', (d) => (saverOut += d));
      saver.stderr.on('data', (d) => (saverOut += d));
      const ended = new Promise<number | null>((resolve) => saver.on('close', resolve));
      let running = true;
      void ended.then(() => (running = false));
      const tally = { whole: 0, refused: 0 };
      const refusals = new Set<string>();
      while (running) {
        try {
          const loaded = await loadModel(dir);
          const got = await plain(loaded.params);
          disposeParams(loaded.params);
          expect(got, `the weights of seed ${loaded.metadata.seed}'s save`).to.deep.equal(expected.get(loaded.metadata.seed));
          tally.whole++;
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          expect(error.message).to.not.match(/ENOENT|\n/);
          refusals.add(error.message.split(dir).join('DIR'));
          tally.refused++;
        }
      }
      expect(await ended, saverOut).to.equal(0);
      console.log(`      ${tally.whole} whole loads, ${tally.refused} refused, against ${saverOut.trim()} saves: ${[...refusals].join(' | ')}`);
      expect(tally.whole).to.be.greaterThan(0);
      expect(tally.refused).to.be.at.most(tally.whole);
    });
  });
});
