// The colour theme: the system's (prefers-color-scheme) unless the viewer picked light or dark,
// which is remembered in localStorage. The colours themselves are CSS custom properties in
// app.css, switched by data-theme on <html>; nothing here sets a style.

export const THEME_CHOICES = ["system", "light", "dark"] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];
const KEY = "theme";

export const parseThemeChoice = (value: string | null | undefined): ThemeChoice => THEME_CHOICES.find((c) => c === value) ?? "system";
export const resolveTheme = (choice: ThemeChoice, systemDark: boolean): "light" | "dark" => (choice === "system" ? (systemDark ? "dark" : "light") : choice);

const media = typeof window === "undefined" ? null : window.matchMedia("(prefers-color-scheme: dark)");
const storage = () => {
  try {
    return window.localStorage;
  } catch {
    return null; // storage turned off: the choice lasts until the page is left
  }
};

class Theme {
  choice = $state<ThemeChoice>(parseThemeChoice(typeof window === "undefined" ? null : storage()?.getItem(KEY)));
  systemDark = $state(media?.matches ?? false);
  /** What is shown now; charts read their colours again when it changes. */
  readonly resolved = $derived(resolveTheme(this.choice, this.systemDark));

  constructor() {
    media?.addEventListener("change", (e) => (this.systemDark = e.matches));
    this.#apply();
  }

  set = (choice: ThemeChoice) => {
    this.choice = choice;
    if (choice === "system") storage()?.removeItem(KEY);
    else storage()?.setItem(KEY, choice);
    this.#apply();
  };

  #apply() {
    if (typeof document === "undefined") return;
    if (this.choice === "system") delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = this.choice;
  }
}

export const theme = new Theme();
