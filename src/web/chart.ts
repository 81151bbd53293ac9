// The live training chart: the same vega-lite spec as `train --plot` (src/plot/specs.ts), drawn to SVG by vega in
// the page, at most once per animation frame however fast the worker reports.
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { HistoryPoint } from '../train/history';
import { trainingCurvesSpec } from '../plot/specs';

export class LiveChart {
  private view?: View;
  private points: HistoryPoint[] = [];
  private title = '';
  private frame?: number;

  constructor(private readonly container: HTMLElement) {}

  /** Starts a new run's curves. */
  reset(title: string): void {
    this.points = [];
    this.title = title;
    this.schedule();
  }

  add(point: HistoryPoint): void {
    this.points.push(point);
    this.schedule();
  }

  private schedule(): void {
    if (this.frame === undefined) this.frame = requestAnimationFrame(() => void this.draw());
  }

  private async draw(): Promise<void> {
    this.frame = undefined;
    const spec = compile(trainingCurvesSpec(this.points, this.title)).spec;
    this.view?.finalize();
    this.view = new View(parse(spec), { renderer: 'svg', container: this.container, hover: false });
    await this.view.runAsync();
  }
}
