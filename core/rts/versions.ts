/**
 * The HOT versions this engine reads (`heat_template_version`, by date or by release name) and the intrinsic
 * functions each offers: a function appears in the version that introduced it and in every later one, as in Heat.
 * Only functions the engine implements are listed, so `template_versions/{v}/functions` says what really works.
 */
import { invalidVersion } from './errors.ts';

/** A supported HOT version: its date, its release alias, and whether it has the `conditions` section. */
export interface HotVersion {
  date: string;
  alias?: string;
  conditions: boolean;
}

export const HOT_VERSIONS: readonly HotVersion[] = [
  { date: '2013-05-23', conditions: false },
  { date: '2014-10-16', conditions: false },
  { date: '2015-04-30', conditions: false },
  { date: '2015-10-15', conditions: false },
  { date: '2016-04-08', conditions: false },
  { date: '2016-10-14', alias: 'newton', conditions: true },
  { date: '2017-02-24', alias: 'ocata', conditions: true },
  { date: '2017-09-01', alias: 'pike', conditions: true },
  { date: '2018-03-02', alias: 'queens', conditions: true },
  { date: '2018-08-31', alias: 'rocky', conditions: true },
  { date: '2021-04-16', alias: 'wallaby', conditions: true },
];

/** Each function, the first version that has it, and what it does (the `functions` listing's description). */
const FUNCTIONS: readonly { name: string; since: string; description: string }[] = [
  { name: 'get_param', since: '2013-05-23', description: 'A function for resolving parameter references.' },
  { name: 'get_resource', since: '2013-05-23', description: 'A function for resolving resource references.' },
  {
    name: 'get_attr',
    since: '2013-05-23',
    description: 'A function for resolving resource attributes, with an optional path into the value.',
  },
  { name: 'get_file', since: '2013-05-23', description: "A function for including a file's content from the files map." },
  { name: 'list_join', since: '2013-05-23', description: 'A function for joining strings (lists of strings from 2015-10-15).' },
  { name: 'str_replace', since: '2013-05-23', description: 'A function for performing string substitutions.' },
  {
    name: 'repeat',
    since: '2015-04-30',
    description: 'A function for iterating over a list of items, once per value of each for_each key.',
  },
  { name: 'str_split', since: '2015-10-15', description: 'A function for splitting a string into a list, optionally picking one item.' },
  { name: 'map_merge', since: '2016-04-08', description: 'A function for merging maps.' },
  { name: 'equals', since: '2016-10-14', description: 'A function for comparing whether two values are equal.' },
  { name: 'if', since: '2016-10-14', description: 'A function to return the corresponding value based on condition evaluation.' },
  { name: 'not', since: '2016-10-14', description: 'A function that acts as a NOT operator on a condition.' },
  { name: 'and', since: '2016-10-14', description: 'A function that acts as an AND operator on conditions.' },
  { name: 'or', since: '2016-10-14', description: 'A function that acts as an OR operator on conditions.' },
];

/** The version a `heat_template_version` value names (a date, a date-like value YAML made a Date, or an alias). */
export function hotVersion(value: unknown): HotVersion {
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
  const v = HOT_VERSIONS.find((x) => x.date === text || x.alias === text);
  if (!v) {
    const available = HOT_VERSIONS.flatMap((x) => (x.alias ? [x.date, x.alias] : [x.date]))
      .sort()
      .join(', ');
    throw invalidVersion(`"heat_template_version: ${text}". "heat_template_version" should be one of: ${available}`);
  }
  return v;
}

/** The names of the functions a version has. */
export function functionsOf(v: HotVersion): Set<string> {
  return new Set(FUNCTIONS.filter((f) => f.since <= v.date).map((f) => f.name));
}

/** Every function name any version has (a map keyed by one of these is a function call where the version has it). */
export const ALL_FUNCTIONS: ReadonlySet<string> = new Set(FUNCTIONS.map((f) => f.name));

/** The `template_versions` listing: each version, by its date, with its alias. */
export function templateVersions() {
  return HOT_VERSIONS.map((v) => ({
    version: `heat_template_version.${v.date}`,
    type: 'hot',
    aliases: v.alias ? [`heat_template_version.${v.alias}`] : [],
  }));
}

/** The functions of a version as `template_versions/{v}/functions` lists them; undefined for an unknown version. */
export function templateFunctions(name: string): { functions: string; description: string }[] | undefined {
  const m = /^heat_template_version\.(.+)$/.exec(name);
  const v = m && HOT_VERSIONS.find((x) => x.date === m[1] || x.alias === m[1]);
  if (!v) return undefined;
  return FUNCTIONS.filter((f) => f.since <= v.date).map((f) => ({ functions: f.name, description: f.description }));
}
