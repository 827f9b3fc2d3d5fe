/**
 * The theme: System, Light or Dark, kept in localStorage. `<html
 * data-theme>` always holds the theme in effect (System follows
 * `prefers-color-scheme`).
 */
import { ref, type InjectionKey, type Ref } from "vue";

export type ThemeChoice = "system" | "light" | "dark";
const KEY = "kuma-gui.theme";

export interface Theme {
  readonly choice: Ref<ThemeChoice>;
  choose(choice: ThemeChoice): void;
}

export function createTheme(): Theme {
  const stored = localStorage.getItem(KEY);
  const choice = ref<ThemeChoice>(stored === "light" || stored === "dark" ? stored : "system");
  const media = window.matchMedia("(prefers-color-scheme: dark)");
  const apply = (): void => {
    const dark = choice.value === "dark" || (choice.value === "system" && media.matches);
    document.documentElement.dataset.theme = dark ? "dark" : "light";
  };
  media.addEventListener("change", apply);
  apply();
  return {
    choice,
    choose(next) {
      choice.value = next;
      if (next === "system") localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, next);
      apply();
    },
  };
}

export const THEME: InjectionKey<Theme> = Symbol("theme");
