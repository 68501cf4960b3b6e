/**
 * Reads the [[allowlists]] tables of a gitleaks configuration: each one's description and how many
 * paths, regexes, stopwords or commits it lists. Just enough TOML for that file's shape.
 */
export function readAllowlists(text: string): { description: string | undefined; entries: number }[] {
  const tables = text.split(/^\[\[allowlists\]\]\s*$/m).slice(1);
  return tables.map(table => {
    const body = table.split(/^\[/m)[0];
    const description = /^description\s*=\s*"([^"]*)"/m.exec(body)?.[1];
    const entries = [...body.matchAll(/^(paths|regexes|stopwords|commits)\s*=\s*\[([\s\S]*?)^\]/gm)]
      .map(([, , list]) => list.split('\n').filter(line => line.trim().startsWith("'''") || line.trim().startsWith('"')).length)
      .reduce((sum, count) => sum + count, 0);
    return { description, entries };
  });
}
