import { expect } from 'chai';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { GradFlow } from '../../src/analysis/gradflow';
import { inspectAdder } from '../../src/analysis/inspect';
import { initBackend } from '../../src/backend';
import { disposeParams } from '../../src/engine/params';
import { renderSvg, writeSvg } from '../../src/plot/render';
import { gradFlowSpec, inspectSpec, trainingCurvesSpec } from '../../src/plot/specs';
import { exactAdderParams } from '../support/adders';
import { checkSvg, markCounts } from '../support/svg';

/** A flow whose norms halve with every lag, as a vanishing gradient does. */
function halvingFlow(start: number, clipScale: number): GradFlow {
  const norms = [0, 1, 2, 3, 4].map((j) => start / 2 ** j);
  return {
    steps: 5, samples: 8, loss: 'mse', norms, clip: 1, gradNorm: 1 / clipScale, clipScale,
    clippedNorms: norms.map((n) => n * clipScale),
  };
}

describe('the SVG check of these tests', () => {
  const root = '<svg xmlns="http://www.w3.org/2000/svg"';
  it('accepts a well-formed SVG document', () => {
    const { elements, texts } = checkSvg(`${root}><g><text x="1">a &amp; b</text><path d="M0,0"/></g></svg>`);
    expect(Object.fromEntries(elements)).to.deep.equal({ svg: 1, g: 1, text: 1, path: 1 });
    expect(texts).to.deep.equal(['a &amp; b']);
  });
  for (const [fault, doc] of [
    ['an unclosed element', `${root}><g></svg>`],
    ['a misnested element', `${root}><g><text></g></text></svg>`],
    ['a bare ampersand', `${root}><text>a & b</text></svg>`],
    ['an unquoted attribute', `${root}><g x=1></g></svg>`],
    ['a second root', `${root}></svg><svg></svg>`],
    ['another root element', '<html></html>'],
    ['no SVG namespace', '<svg></svg>'],
  ]) {
    it(`rejects ${fault}`, () => {
      expect(() => checkSvg(doc)).to.throw();
    });
  }
});

describe('plots (vega-lite → SVG)', () => {
  before(async () => {
    await initBackend();
  });

  it('draws the training curves: one loss line on a log axis and one accuracy line', async () => {
    const history = [1, 2, 3, 4, 5].map((i) => ({ samples: 1000 * i, loss: 0.2 / i, accuracy: i / 5, seconds: i }));
    const { svg, warnings } = await renderSvg(trainingCurvesSpec(history, 'an 8-bit run'));
    expect(warnings).to.deep.equal([]);
    const { texts } = checkSvg(svg);
    expect(markCounts(svg).get('line mark')).to.equal(2);
    expect(texts).to.include.members(['an 8-bit run', 'loss (log scale)', 'exact sums in the training batches', 'training samples seen']);
    expect(svg).to.contain("Y-axis titled 'loss (log scale)' for a log scale");
  });

  it("titles a long-lag task's accuracy axis by its own rule, not by sums", async () => {
    const history = [{ samples: 100, loss: 0.1, accuracy: 0.5, seconds: 1 }];
    const { texts } = checkSvg((await renderSvg(trainingCurvesSpec(history, 'echo', 'echo'))).svg);
    expect(texts).to.include('bits echoed in the training batches').and.not.include('exact sums in the training batches');
  });

  it('draws the gradient flow: a series per network and per clipping, on a log axis', async () => {
    const flows = [
      { network: 'trained', flow: halvingFlow(1e-3, 1) },
      { network: 'untrained', flow: halvingFlow(0.2, 0.5) },
    ];
    const { svg, warnings } = await renderSvg(gradFlowSpec(flows, 'gradient flow'));
    expect(warnings).to.deep.equal([]);
    checkSvg(svg);
    expect(markCounts(svg).get('line mark'), '2 networks × (as computed, clipped)').to.equal(4);
    expect(svg).to.contain("legend titled 'network' for stroke color with 2 values: trained, untrained");
    expect(svg).to.contain('for strokeDash with 2 values: as computed, clipped at ‖∇θL‖ ≤ 1');
    expect(svg).to.match(/Y-axis titled '[^']*' for a log scale/);
  });

  it('leaves exact zeros out of the log axis rather than failing', async () => {
    const flow = halvingFlow(1, 1);
    flow.norms[4] = flow.clippedNorms[4] = 0;
    const { svg, warnings } = await renderSvg(gradFlowSpec([{ network: 'n', flow }], 'zeros'));
    expect(warnings).to.deep.equal([]);
    checkSvg(svg);
    expect(markCounts(svg).get('line mark')).to.equal(2);
    // With the 0 kept, vega's log domain collapses to start at 0e+0 and every line is drawn flat.
    expect(svg).to.match(/for a log scale with values from 1e-1 to 1e\+0/);
  });

  it('draws the hidden states and the learned table of a hand-made adder: 8 rows, all matching', async () => {
    const params = exactAdderParams();
    const inspection = inspectAdder(params, 4, { samples: 50, longWidths: [] });
    disposeParams(params);
    const { svg, warnings } = await renderSvg(inspectSpec(inspection, 'hand-made adder'));
    expect(warnings).to.deep.equal([]);
    const { texts } = checkSvg(svg);
    const marks = markCounts(svg);
    expect(marks.get('text mark'), '8 rows × 8 columns').to.equal(64);
    expect(marks.get('point')).to.equal(inspection.projection.length);
    expect(texts.filter((t) => t === '✓')).to.have.length(8);
    expect(texts).not.to.include('✗');
    expect(svg).to.contain("legend titled 'true carry after step' for fill color with 2 values: 0, 1");
  });

  it('writes the file, creating its directory', async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-adder-plot-')), 'a', 'b');
    const before = tf.memory().numTensors;
    const file = await writeSvg(dir, 'curves.svg', trainingCurvesSpec([{ samples: 1, loss: 1, accuracy: 0, seconds: 0 }], 't'));
    expect(file).to.equal(path.join(dir, 'curves.svg'));
    checkSvg(fs.readFileSync(file, 'utf8'));
    expect(tf.memory().numTensors).to.equal(before);
  });
});
