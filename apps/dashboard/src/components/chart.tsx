// A uPlot time chart (canvas): several series, one y axis per scale, drag to zoom, double-click to reset, hover values.

import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartScale {
  key: string;
  label: string;
  /** Log axis: series of one measure often differ by orders of magnitude (BTC vs RVN difficulty). */
  log?: boolean;
  format: (value: number) => string;
}

export interface ChartSeries {
  label: string;
  scale: string;
  values: readonly (number | null)[];
  /** Held until the next point (a backtest decision holds until the next step). */
  stepped?: boolean;
}

interface Props {
  /** Unix seconds, ascending. */
  times: readonly number[];
  series: readonly ChartSeries[];
  scales: readonly ChartScale[];
  label: string;
  height?: number;
  /** Unix seconds to mark with a vertical line (a backtest's switches). */
  marks?: readonly number[];
}

/** Draws each mark as a dashed vertical line over the plot. */
function marksHook(marks: readonly number[]) {
  return (u: uPlot) => {
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = 'rgba(128,128,128,0.7)';
    ctx.setLineDash([4, 4]);
    ctx.lineWidth = 1;
    for (const t of marks) {
      const x = Math.round(u.valToPos(t, 'x', true));
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
    }
    ctx.restore();
  };
}

/** Log axes label whole powers of ten only (1, 10, 100 …), not every mantissa. */
const decadesOnly = (_u: uPlot, splits: number[]) =>
  splits.map((v) => (Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9 ? v : null));

const COLORS = ['#2f6fd6', '#d9480f', '#2b8a3e', '#ae3ec9', '#e8590c', '#0c8599', '#c2255c', '#5c940d'];

function options(props: Props, width: number): uPlot.Options {
  const scaleOf = new Map(props.scales.map((s) => [s.key, s]));
  return {
    width,
    height: props.height ?? 320,
    cursor: { drag: { x: true, y: false } },
    ...(props.marks?.length ? { hooks: { draw: [marksHook(props.marks)] } } : {}),
    // The API's times are UTC, and so is every time the dashboard shows.
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    legend: { live: true },
    scales: Object.fromEntries(props.scales.map((s) => [s.key, { distr: s.log ? 3 : 1 }])),
    axes: [
      { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.15)' } },
      ...props.scales.map((s, i) => ({
        scale: s.key,
        label: s.label,
        side: i % 2 === 0 ? 3 : 1,
        stroke: 'currentColor',
        size: 84,
        gap: 6,
        grid: { show: i === 0, stroke: 'rgba(128,128,128,0.15)', ...(s.log ? { filter: decadesOnly } : {}) },
        ...(s.log ? { filter: decadesOnly, ticks: { show: false } } : {}),
        values: (_u: uPlot, splits: number[]) => splits.map((v) => s.format(v)),
      })),
    ],
    series: [
      {
        label: 'time (UTC)',
        value: (_u, t) => (t ? new Date(t * 1000).toISOString().slice(0, 16).replace('T', ' ') : '–'),
      },
      ...props.series.map((s, i) => ({
        label: s.label,
        scale: s.scale,
        stroke: COLORS[i % COLORS.length],
        width: 1.5,
        // A history bucket with no sample is bridged; a backtest target's line stops while another is mined.
        spanGaps: !s.stepped,
        ...(s.stepped ? { paths: uPlot.paths.stepped?.({ align: 1 }) } : {}),
        value: (_u: uPlot, v: number | null) =>
          v === null ? '–' : (scaleOf.get(s.scale)?.format(v) ?? String(v)),
      })),
    ],
  };
}

function chartData(props: Props): uPlot.AlignedData {
  const logScales = new Set(props.scales.filter((s) => s.log).map((s) => s.key));
  return [
    [...props.times],
    ...props.series.map((s) =>
      // A log axis cannot show 0 or less: such points are gaps.
      logScales.has(s.scale) ? s.values.map((v) => (v !== null && v > 0 ? v : null)) : [...s.values],
    ),
  ];
}

/** The user has zoomed in: the x scale shows less than the data spans. */
function zoomed(plot: uPlot): boolean {
  const times = plot.data[0];
  const { min, max } = plot.scales.x ?? {};
  if (!times.length || min === undefined || max === undefined) return false;
  return min > times[0]! || max < times[times.length - 1]!;
}

/**
 * The chart is rebuilt when its series or axes change; new data for the same series (a live update) is
 * swapped in, keeping the user's zoom. Arrays must be memoized by the caller.
 */
export function Chart(props: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const shape = JSON.stringify([
    props.series.map((s) => [s.label, s.scale, s.stepped]),
    props.scales.map((s) => [s.key, s.log]),
    props.height,
    props.marks,
  ]);

  // Rebuilt on a new shape only; new data goes in by the effect below.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const plot = new uPlot(options(props, el.clientWidth || 600), chartData(props), el);
    plotRef.current = plot;
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: el.clientWidth, height: props.height ?? 320 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
      plotRef.current = null;
    };
  }, [shape]);

  // A live update: same series, new values.
  useEffect(() => {
    const plot = plotRef.current;
    if (plot) plot.setData(chartData(props), !zoomed(plot));
  }, [props.times, props.series]);

  return <div class="chart" ref={box} role="img" aria-label={props.label} />;
}
