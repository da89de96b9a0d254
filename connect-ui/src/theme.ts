// Light/dark mode and the environment's primary colour, applied as attributes and CSS custom
// properties on <html> (styles.css reads them).
import type { Theme } from '../../sdk/frontend/src/types.js';
import type { ConnectUISettings } from './types.js';

type Mode = 'light' | 'dark';
type Palette = ConnectUISettings['theme'];

/** The dialog surface in each mode; keep in sync with --surface in styles.css. */
const SURFACE: Record<Mode, string> = { light: '#ffffff', dark: '#18181b' };
const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');

let preference: Theme = 'system';
let palette: Palette | null = null;
darkQuery.addEventListener('change', render);

export function setTheme(theme: Theme, colours: Palette | null = palette): void {
    preference = theme;
    palette = colours;
    render();
}

function render(): void {
    const mode: Mode = preference === 'system' ? (darkQuery.matches ? 'dark' : 'light') : preference;
    const root = document.documentElement;
    root.dataset['theme'] = mode;
    const primary = palette?.[mode]?.primary;
    const rgb = primary ? parseHex(primary) : null;
    if (!primary || !rgb) {
        for (const name of ['--primary', '--on-primary', '--accent']) root.style.removeProperty(name);
        return;
    }
    const surface = parseHex(SURFACE[mode]) ?? [255, 255, 255];
    root.style.setProperty('--primary', primary);
    // Whichever of black and white reads better on the brand colour.
    root.style.setProperty('--on-primary', contrast(rgb, [0, 0, 0]) >= contrast(rgb, [255, 255, 255]) ? '#000000' : '#ffffff');
    // Links and focus rings use the brand colour only where it stays readable on the surface (WCAG AA).
    if (contrast(rgb, surface) >= 4.5) root.style.setProperty('--accent', primary);
    else root.style.removeProperty('--accent');
}

type Rgb = [number, number, number];

function parseHex(value: string): Rgb | null {
    const match = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
    if (!match?.[1]) return null;
    const hex = match[1].length === 3 ? [...match[1]].map((c) => c + c).join('') : match[1];
    return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
}

/** WCAG 2 relative luminance. */
function luminance(rgb: Rgb): number {
    const [r, g, b] = rgb.map((c) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    }) as Rgb;
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: Rgb, b: Rgb): number {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
    return (light + 0.05) / (dark + 0.05);
}
