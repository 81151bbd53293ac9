// A strict well-formedness check for the SVG that vega writes (no XML parser is installed): every character
// belongs to a tag or to text without '<', entities are the XML ones, tags nest and close, and the one root is
// <svg> in the SVG namespace.
import { expect } from 'chai';

const TAG = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*"[^"<]*")*)\s*(\/?)>/g;
const ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;

export interface SvgSummary {
  /** How many times each element name occurs. */
  elements: Map<string, number>;
  /** The text content of every <text> element, in order. */
  texts: string[];
}

export function checkSvg(svg: string): SvgSummary {
  expect(svg.startsWith('<svg'), 'the document starts with <svg').to.equal(true);
  const stack: string[] = [];
  const elements = new Map<string, number>();
  const texts: string[] = [];
  let roots = 0;
  let at = 0;
  for (const m of svg.matchAll(TAG)) {
    const between = svg.slice(at, m.index);
    expect(between, `text at ${at} holds no markup`).not.to.match(/[<>]/);
    expect(ENTITY.test(between), `text at ${at} escapes '&'`).to.equal(false);
    if (stack[stack.length - 1] === 'text' && between.trim() !== '') texts.push(between);
    at = m.index! + m[0].length;
    const [, closing, name, attributes, selfClosing] = m;
    expect(ENTITY.test(attributes), `attributes of <${name}> escape '&'`).to.equal(false);
    if (closing) {
      expect(stack.pop(), `</${name}> at ${m.index} closes the open element`).to.equal(name);
      continue;
    }
    if (stack.length === 0) {
      roots++;
      expect(name, 'the root element').to.equal('svg');
      expect(attributes).to.contain('xmlns="http://www.w3.org/2000/svg"');
    }
    elements.set(name, (elements.get(name) ?? 0) + 1);
    if (!selfClosing) stack.push(name);
  }
  expect(svg.slice(at).trim(), 'nothing after the root closes').to.equal('');
  expect(stack, 'every element is closed').to.deep.equal([]);
  expect(roots, 'one root element').to.equal(1);
  return { elements, texts };
}

/** The aria-roledescription of the marks vega drew (e.g. "line mark", "point", "text mark"), with counts. */
export function markCounts(svg: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of svg.matchAll(/role="graphics-symbol" aria-roledescription="([^"]+)"/g)) {
    counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  }
  return counts;
}
