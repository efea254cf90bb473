// Chart.js, registered with only the pieces the dashboard draws (tree-shaken), coloured from the
// theme's CSS custom properties so that charts follow the light and dark themes. Chart.js builds
// no code at run time (no eval), so it runs under the dashboard's Content-Security-Policy as is.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartType,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
  type TooltipItem,
} from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, ScatterController, Legend, Tooltip);

export { Chart };

export interface ChartColours {
  ok: string;
  bad: string;
  other: string;
  pending: string;
  text: string;
  grid: string;
  /** Colours for one line or bar per report type or channel, told apart from ok and bad. */
  series: string[];
}

/** The theme's chart colours as they are now (read again after the theme changes). */
export function chartColours(): ChartColours {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string) => style.getPropertyValue(name).trim();
  return {
    ok: read("--chart-ok"),
    bad: read("--chart-bad"),
    other: read("--chart-other"),
    pending: read("--warn"),
    text: read("--muted"),
    grid: read("--chart-grid"),
    series: [1, 2, 3, 4, 5, 6].map((n) => read(`--chart-${n}`)),
  };
}

/** Applied to every chart: the theme's text and grid colours, no animation, the system font. */
export function applyChartDefaults(colours: ChartColours) {
  Chart.defaults.color = colours.text;
  Chart.defaults.borderColor = colours.grid;
  Chart.defaults.font.family = "system-ui, sans-serif";
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.responsive = true;
}

/** The colour of the `index`th report type or channel, starting over past the last. */
export const seriesColour = (colours: ChartColours, index: number) => colours.series[index % colours.series.length] ?? colours.other;

/** Hovering anywhere over a time slot shows every dataset's value there, not only the one under the pointer. */
export const hoverSlot = { mode: "index", intersect: false } as const;

/** A tooltip leaves out the datasets with nothing at the hovered slot (a type that did not run, a channel that sent nothing). */
export const shownInTooltip = <T extends ChartType>(item: TooltipItem<T>) => item.raw != null && item.raw !== 0;
