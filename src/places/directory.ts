import MiniSearch from 'minisearch';
import { z } from 'zod';
import { readContentFile } from '../content/load.js';
import { localized } from '../content/localized.js';
import { fold } from '../core/text.js';
import { matchProvince, provinceById } from '../registration/provinces.js';

/** The organiser's file of places to read, next to the other content files. */
export const PLACES_FILE = 'places.json';

/** Kinds of places to read. */
export const PLACE_KINDS = [
  'library',
  'community-learning-centre',
  'classroom-bookshelf',
  'reading-space',
] as const;

const placeSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,60}$/, 'must be lower-case letters, digits and dashes'),
    kind: z.enum(PLACE_KINDS),
    name: localized,
    /** Provincial-level unit id (as in registrations), e.g. "nghe-an". */
    province: z.string().refine((id) => provinceById(id) !== undefined, {
      message: 'must be the id of one of the 34 provincial-level units, e.g. "nghe-an"',
    }),
    /** The commune or ward, in Vietnamese as people write it ("Phường Hoàn Kiếm"). */
    commune: z.string().min(2).max(100),
    address: localized,
    hours: localized.optional(),
    /** Demonstration entry: shown marked as sample data. */
    sample: z.boolean().default(false),
  })
  .strict();

const fileSchema = z
  .object({ places: z.array(placeSchema).max(20_000) })
  .strict()
  .refine((f) => new Set(f.places.map((p) => p.id)).size === f.places.length, {
    message: 'place ids must be unique',
    path: ['places'],
  });

/** A place to read. */
export type Place = z.infer<typeof placeSchema>;

/** What a typed place name found. */
export type PlaceSearch =
  | { kind: 'commune'; commune: string; province: string; places: Place[] }
  | { kind: 'province'; province: string; places: Place[] }
  | { kind: 'ambiguous'; communes: Array<{ commune: string; province: string }> }
  | { kind: 'none' };

// "Phường", "Xã", "Đặc khu", "Thị trấn" carry no information.
const PREFIX = /^(phuong|xa|dac khu|thi tran|p|commune|ward)\s+/;
const SUFFIX = /\s+(ward|commune)$/;

/** Folded, prefix-free, space-free form ("Phường Hoàn Kiếm" -> "hoankiem"). */
function compact(text: string): string {
  return fold(text).replace(PREFIX, '').replace(SUFFIX, '').replace(/\s+/g, '');
}

function maxEdits(length: number): number {
  if (length <= 3) return 0;
  if (length <= 6) return 1;
  return 2;
}

interface CommuneEntry {
  id: number;
  key: string;
  commune: string;
  province: string;
}

/** The places of content/places.json, searchable by commune or province name. */
export class PlaceDirectory {
  private readonly communes: CommuneEntry[] = [];
  private readonly index: MiniSearch<CommuneEntry>;
  /** Places by "commune key|province id". */
  private readonly byCommune = new Map<string, Place[]>();
  private readonly byProvince = new Map<string, Place[]>();

  constructor(readonly places: readonly Place[]) {
    for (const p of places) {
      const key = `${compact(p.commune)}|${p.province}`;
      const list = this.byCommune.get(key);
      if (list) list.push(p);
      else this.byCommune.set(key, [p]);
      const inProvince = this.byProvince.get(p.province);
      if (inProvince) inProvince.push(p);
      else this.byProvince.set(p.province, [p]);
      if (list) continue;
      this.communes.push({
        id: this.communes.length,
        key: compact(p.commune),
        commune: p.commune,
        province: p.province,
      });
    }
    // One term per commune: fuzzy search is an edit distance over the whole name.
    this.index = new MiniSearch<CommuneEntry>({
      fields: ['key'],
      storeFields: ['commune', 'province'],
      tokenize: (text) => [text],
      processTerm: (term) => term,
    });
    this.index.addAll(this.communes);
  }

  /** Reads and validates content/places.json. */
  static load(dir: string): PlaceDirectory {
    return new PlaceDirectory(readContentFile(dir, PLACES_FILE, fileSchema).places);
  }

  /**
   * Finds places from a typed commune, ward or province name, with or without diacritics and
   * with small typos; "Hoàn Kiếm, Hà Nội" is read part by part (a commune first).
   */
  search(text: string): PlaceSearch {
    const parts = text
      .split(/[,;\n]/)
      .map((p) => p.trim())
      .filter(Boolean);
    const province = matchProvince(text);
    const within = province.kind === 'found' ? province.province.id : undefined;
    for (const part of [text, ...parts]) {
      const communes = this.communesFor(part, within);
      if (communes.length === 1) {
        const [c] = communes;
        return {
          kind: 'commune',
          commune: c!.commune,
          province: c!.province,
          places: this.byCommune.get(`${c!.key}|${c!.province}`) ?? [],
        };
      }
      if (communes.length > 1)
        return {
          kind: 'ambiguous',
          communes: communes.slice(0, 5).map((c) => ({ commune: c.commune, province: c.province })),
        };
    }
    if (within)
      return {
        kind: 'province',
        province: within,
        places: this.byProvince.get(within) ?? [],
      };
    return { kind: 'none' };
  }

  private communesFor(text: string, province: string | undefined): CommuneEntry[] {
    const key = compact(text);
    if (key.length < 2) return [];
    const inProvince = (c: CommuneEntry) => province === undefined || c.province === province;
    const exact = this.communes.filter((c) => c.key === key && inProvince(c));
    if (exact.length > 0) return exact;
    const edits = maxEdits(key.length);
    if (edits === 0) return [];
    const hits = this.index.search(key, { fuzzy: () => edits, prefix: false });
    if (hits.length === 0) return [];
    const best = hits[0]!.score;
    return hits
      .filter((h) => h.score >= best * 0.98)
      .map((h) => this.communes[h.id as number]!)
      .filter(inProvince);
  }
}
