/**
 * The occupations people pick from, grouped, each with its ISCO-08 unit group (so the data maps
 * to ESCO later without depending on it: ESCO lacks Persian, Pashto, Tigrinya and Somali) and a
 * few typical skills to tick. Labels live in locales/<lang>.json under `occ`, `skill`, `group`.
 */
export interface Occupation {
  readonly id: string;
  /** ISCO-08 unit group. */
  readonly isco: string;
  readonly skills: readonly string[];
}

/** A group of occupations, as the first list shows them. */
export interface OccupationGroup {
  readonly id: string;
  readonly occupations: readonly Occupation[];
}

const o = (id: string, isco: string, skills: string): Occupation => ({ id, isco, skills: skills.split(' ') });

/** Every group, in the order the list shows them (at most 9, so a "type it" option still fits). */
export const OCCUPATION_GROUPS: readonly OccupationGroup[] = [
  {
    id: 'food',
    occupations: [
      o('cook', '5120', 'cooking food-hygiene menu-planning pastry'),
      o('kitchen-helper', '9412', 'dishwashing food-hygiene food-prep'),
      o('waiter', '5131', 'serving cash-register customer-service'),
      o('baker', '7512', 'bread-making pastry food-hygiene'),
      o('butcher', '7511', 'meat-cutting food-hygiene'),
    ],
  },
  {
    id: 'building',
    occupations: [
      o('bricklayer', '7112', 'bricklaying concrete reading-plans site-safety'),
      o('electrician', '7411', 'wiring reading-plans site-safety'),
      o('plumber', '7126', 'pipework site-safety'),
      o('painter', '7131', 'painting tiling'),
      o('carpenter', '7115', 'woodwork reading-plans'),
      o('welder', '7212', 'welding reading-plans site-safety'),
    ],
  },
  {
    id: 'care',
    occupations: [
      o('nurse', '2221', 'patient-care first-aid medication'),
      o('care-worker', '5322', 'elderly-care patient-care first-aid'),
      o('doctor', '2211', 'patient-care medication first-aid'),
      o('childcare', '5311', 'childcare first-aid'),
    ],
  },
  {
    id: 'transport',
    occupations: [
      o('truck-driver', '8332', 'licence-c route-planning loading'),
      o('driver', '8322', 'licence-b route-planning customer-service'),
      o('warehouse', '9333', 'forklift loading stock'),
      o('courier', '9621', 'licence-b route-planning'),
    ],
  },
  {
    id: 'industry',
    occupations: [
      o('mechanic', '7231', 'car-repair diagnostics'),
      o('factory-worker', '9329', 'machine-operation quality-control'),
      o('tailor', '7531', 'sewing quality-control'),
    ],
  },
  {
    id: 'office',
    occupations: [
      o('accountant', '2411', 'bookkeeping spreadsheets'),
      o('developer', '2512', 'programming spreadsheets'),
      o('clerk', '4110', 'spreadsheets filing customer-service'),
      o('interpreter', '2643', 'translating customer-service'),
      o('teacher', '2341', 'teaching childcare'),
    ],
  },
  {
    id: 'services',
    occupations: [
      o('cleaner', '9112', 'cleaning'),
      o('hairdresser', '5141', 'haircutting customer-service'),
      o('shop-assistant', '5223', 'sales cash-register stock'),
      o('security', '5414', 'first-aid customer-service'),
    ],
  },
  {
    id: 'farm',
    occupations: [o('farm-worker', '9211', 'harvesting tractor'), o('gardener', '6113', 'gardening tractor')],
  },
];

/** Every occupation by id. */
export const OCCUPATIONS: ReadonlyMap<string, Occupation & { readonly group: string }> = new Map(
  OCCUPATION_GROUPS.flatMap((g) => g.occupations.map((occ) => [occ.id, { ...occ, group: g.id }] as const)),
);

/** Every skill id any occupation lists. */
export const SKILLS: readonly string[] = [...new Set(OCCUPATION_GROUPS.flatMap((g) => g.occupations.flatMap((occ) => occ.skills)))];

/** Languages a profile or a job may name (ISO 639), beyond the bot's own ten; names come from CLDR. */
export const WORK_LANGUAGES: readonly string[] = ['fr', 'en', 'de', 'es', 'it', 'ar', 'fa', 'prs', 'ps', 'uk', 'ru', 'tr', 'so', 'ti', 'am', 'ur', 'ku'];

/** Countries an education most often comes from, first in the list (ISO 3166); others are typed. */
export const EDUCATION_COUNTRIES: readonly string[] = ['AF', 'SY', 'IQ', 'IR', 'ER', 'SO', 'SD', 'UA', 'TR', 'FR'];
