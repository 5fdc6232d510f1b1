// What a hosted screen and an SMS show for an app: its own branding, field by field over the installation's; the assets' URLs.
import type { BrandingRepo, StoredBranding } from '../db/branding.ts';
import { localSettingsCache, type SettingsCache } from '../db/recent.ts';
import { colorVariables } from './colors.ts';
import { type BrandImage, sha256 } from './images.ts';

/** Branding as a screen uses it; every field null means "nothing set": today's look. */
export interface ResolvedBranding {
  name: string | null;
  primaryColor: string | null;
  supportContact: string | null;
  logo: { url: string } | null;
  favicon: { url: string; type: string } | null;
  /** The same-origin stylesheet with the colour and the admin's CSS, its URL carrying its hash. */
  stylesheet: string | null;
  /** For SMS texts: the app's own branded name (null when it has none) and the installation's. */
  appName: string | null;
  globalName: string | null;
}

export interface BrandingAsset {
  type: string;
  body: Buffer | string;
  /** Whether the URL's hash is the current one (then it may be cached for good). */
  current: boolean;
}

const HASH_CHARS = 16;
export const BRANDING_PATH = '/branding';

/** `/branding/global` or `/branding/apps/<id>`. */
export const scopePath = (clientId: string | null): string => (clientId ? `${BRANDING_PATH}/apps/${encodeURIComponent(clientId)}` : `${BRANDING_PATH}/global`);

/** Field by field: the app's value, else the installation's. */
function merge(global: StoredBranding | undefined, app: StoredBranding | undefined) {
  const pick = <K extends keyof StoredBranding>(k: K) => app?.[k] ?? global?.[k] ?? null;
  // An image is served under the row it belongs to.
  const from = (k: 'logo' | 'favicon') => (app?.[k] ? { image: app[k], owner: app.clientId } : global?.[k] ? { image: global[k], owner: null } : null);
  return { name: pick('name'), primaryColor: pick('primaryColor'), supportContact: pick('supportContact'), css: pick('css'), logo: from('logo'), favicon: from('favicon') };
}

function stylesheetText(primaryColor: string | null, css: string | null): string | null {
  if (!primaryColor && !css) return null;
  const vars = primaryColor ? `:root{${Object.entries(colorVariables(primaryColor)).map(([k, v]) => `${k}:${v}`).join(';')}}\n` : '';
  return `/* Branding */\n${vars}${css ?? ''}\n`;
}

const short = (hash: string) => hash.slice(0, HASH_CHARS);

export function createBranding({ repo, settings = localSettingsCache() }: { repo: Pick<BrandingRepo, 'pair'>; settings?: SettingsCache }) {
  interface Loaded {
    resolved: ResolvedBranding;
    assets: { style: { text: string; hash: string } | null; logo: BrandImage | null; favicon: BrandImage | null };
  }
  const cache = settings.recent<string, Loaded>();

  async function load(clientId: string | null): Promise<Loaded> {
    const { global, app } = await repo.pair(clientId);
    // An app without a row of its own is the installation's branding, at its URLs.
    const scope = app ? clientId : null;
    const m = merge(global, app);
    const text = stylesheetText(m.primaryColor, m.css);
    const style = text ? { text, hash: sha256(text) } : null;
    const imageUrl = (kind: 'logo' | 'favicon', f: { image: BrandImage; owner: string | null }) => `${scopePath(f.owner)}/${kind}-${short(f.image.sha256)}`;
    return {
      resolved: {
        name: m.name,
        primaryColor: m.primaryColor,
        supportContact: m.supportContact,
        logo: m.logo ? { url: imageUrl('logo', m.logo) } : null,
        favicon: m.favicon ? { url: imageUrl('favicon', m.favicon), type: m.favicon.image.type } : null,
        stylesheet: style ? `${scopePath(scope)}/style-${short(style.hash)}.css` : null,
        appName: app?.name ?? null,
        globalName: global?.name ?? null,
      },
      assets: { style, logo: app?.logo ?? global?.logo ?? null, favicon: app?.favicon ?? global?.favicon ?? null },
    };
  }

  const loaded = (clientId: string | null) => cache.get(clientId ?? '', () => load(clientId));

  return {
    /** What the screens of this app (null: no app) show. */
    async forClient(clientId: string | null): Promise<ResolvedBranding> {
      return (await loaded(clientId)).resolved;
    },

    /** One file under /branding/global or /branding/apps/<id>: `style-<hash>.css`, `logo-<hash>`, `favicon-<hash>`. */
    async asset(clientId: string | null, file: string): Promise<BrandingAsset | undefined> {
      const m = /^(style|logo|favicon)-([0-9a-f]{16})(\.css)?$/.exec(file);
      if (!m || (m[1] === 'style') !== (m[3] === '.css')) return undefined;
      const { assets } = await loaded(clientId);
      if (m[1] === 'style') return assets.style ? { type: 'text/css; charset=utf-8', body: assets.style.text, current: short(assets.style.hash) === m[2] } : undefined;
      const image = m[1] === 'logo' ? assets.logo : assets.favicon;
      return image ? { type: image.type, body: image.data, current: short(image.sha256) === m[2] } : undefined;
    },

    /** After a change: every app may show the installation's values, so all are read again. */
    changed(): Promise<void> {
      return settings.changed();
    },
  };
}

export type Branding = ReturnType<typeof createBranding>;
