// The page's model fetch against a save landing between its two requests: model.json of one save and weights.bin
// of another (told by the weights' SHA-256) fetches again and returns the save whole, and a model that stays mixed
// is refused in one line after FETCH_ATTEMPTS fetches, with no tensor left behind.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { promises as fs } from 'fs';
import * as path from 'path';
import { initBackend } from '../../src/backend';
import { disposeParams, Params } from '../../src/engine/params';
import { UserError } from '../../src/errors';
import { FETCH_ATTEMPTS, fetchModel } from '../../src/web/model';
import { exactAdderParams, saveFixture, tempDir } from '../support/adders';

const URL = 'http://models.test/adder/model.json';

let saved: string;
let mixed: string;
/** The saved model's weights, every parameter flattened in order. */
let savedValues: number[];

async function values(params: Params): Promise<number[]> {
  const flat: number[] = [];
  for (const tensor of Object.values(params) as tf.Tensor[]) flat.push(...(await tensor.data()));
  return flat;
}

/** A fetch serving `saved`'s model.json, and weights.bin from `mixed` for the first `mixedFetches` weight requests. */
function servingMixed(mixedFetches: number): { fetchFunc: typeof fetch; weightFetches: () => number } {
  let weightFetches = 0;
  const fetchFunc = (async (input: Parameters<typeof fetch>[0]) => {
    const name = path.basename(new globalThis.URL(String(input)).pathname);
    const dir = name === 'model.json' || weightFetches++ >= mixedFetches ? saved : mixed;
    return new Response(await fs.readFile(path.join(dir, name)), { status: 200 });
  }) as typeof fetch;
  return { fetchFunc, weightFetches: () => weightFetches };
}

describe('web: the model fetch reads again when a save lands between its requests', function () {
  before(async () => {
    await initBackend();
    const root = await tempDir('rnn-adder-web-fetch-');
    const params = exactAdderParams();
    saved = await saveFixture(path.join(root, 'saved'), params);
    savedValues = await values(params);
    disposeParams(params);
    // The next save's weights: the same file with one float changed.
    mixed = path.join(root, 'mixed');
    await fs.cp(saved, mixed, { recursive: true });
    const weights = await fs.readFile(path.join(mixed, 'weights.bin'));
    weights.writeFloatLE(weights.readFloatLE(0) + 1, 0);
    await fs.writeFile(path.join(mixed, 'weights.bin'), weights);
  });

  it('returns the save whole when the second fetch finds its files matched', async () => {
    const before = tf.memory().numTensors;
    const { fetchFunc, weightFetches } = servingMixed(1);
    const model = await fetchModel(URL, fetchFunc);
    expect(weightFetches(), 'weights fetched once mixed, once whole').to.equal(2);
    expect(await values(model.params), "the saved model's weights, not the mixed ones").to.deep.equal(savedValues);
    disposeParams(model.params);
    expect(tf.memory().numTensors, 'tensors leaked').to.equal(before);
  });

  it(`says in one line that a save is under way when all ${FETCH_ATTEMPTS} fetches are mixed`, async () => {
    const before = tf.memory().numTensors;
    const { fetchFunc, weightFetches } = servingMixed(Infinity);
    let caught: unknown;
    try {
      disposeParams((await fetchModel(URL, fetchFunc)).params);
    } catch (error) {
      caught = error;
    }
    expect(caught).to.be.instanceOf(UserError);
    const message = (caught as Error).message;
    expect(message).to.equal(`${URL} changed each of the ${FETCH_ATTEMPTS} times it was fetched: a save to it is under way; try again once it ends`);
    expect(weightFetches(), 'one weights fetch per attempt').to.equal(FETCH_ATTEMPTS);
    expect(tf.memory().numTensors, 'tensors leaked').to.equal(before);
  });
});
