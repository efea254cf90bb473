// Chart.js, registered with only the pieces the dashboard draws (tree-shaken), coloured from the
// theme's CSS custom properties so that charts follow the light and dark themes. Chart.js builds
// no code at run time (no eval), so it runs under the dashboard's Content-Security-Policy as is.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
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
