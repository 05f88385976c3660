/** Light or dark, chosen by the person (stored) or else following the system. */
export type Theme = 'light' | 'dark';
const KEY = 'sightline.theme';

function systemTheme(): Theme {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

class ThemeState {
  current = $state<Theme>(
    (() => {
      try {
        const t = localStorage.getItem(KEY);
        if (t === 'dark' || t === 'light') return t;
      } catch {}
      return systemTheme();
    })(),
  );

  set(theme: Theme): void {
    this.current = theme;
    localStorage.setItem(KEY, theme);
    document.documentElement.dataset.theme = theme;
  }
  /** Shows a theme without remembering it (a wall follows its playlist's theme). */
  apply(theme: Theme): void {
    this.current = theme;
    document.documentElement.dataset.theme = theme;
  }
  toggle(): void {
    this.set(this.current === 'dark' ? 'light' : 'dark');
  }
}

export const theme = new ThemeState();
