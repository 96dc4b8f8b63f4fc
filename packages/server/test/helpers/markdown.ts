/**
 * @module Reading Markdown the way GitHub renders it, for the tests that keep the docs honest:
 * fenced code blocks (with their line numbers), heading anchors (GitHub's slugs) and links.
 */

export interface FencedBlock {
  /** The info string's first word, lower case (`bash`, `ts`, ...); '' when the fence has none. */
  lang: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/**
 * Every fenced code block (``` or ~~~, indented by up to three spaces, as in list items), in order.
 * The opening fence's indentation is removed from the block's lines, as CommonMark does.
 */
export function fencedBlocks(markdown: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  const lines = markdown.split('\n');
  let open: { fence: string; indent: number; lang: string; line: number; body: string[] } | undefined;
  lines.forEach((text, index) => {
    if (open === undefined) {
      const start = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)/.exec(text);
      if (start !== null) open = { fence: start[2] ?? '```', indent: (start[1] ?? '').length, lang: (start[3] ?? '').toLowerCase(), line: index + 1, body: [] };
      return;
    }
    const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(text);
    if (close !== null && (close[1] ?? '').startsWith(open.fence)) {
      blocks.push({ lang: open.lang, code: open.body.join('\n') + '\n', line: open.line });
      open = undefined;
      return;
    }
    const indent = open.indent;
    open.body.push(text.replace(new RegExp(`^ {0,${indent}}`), ''));
  });
  if (open !== undefined) throw new Error(`unclosed code fence opened on line ${open.line}`);
  return blocks;
}

/** The Markdown with fenced blocks blanked (line count kept), so headings and links inside code are ignored. */
function withoutFencedCode(markdown: string): string {
  const lines = markdown.split('\n');
  for (const block of fencedBlocks(markdown)) {
    const count = block.code.split('\n').length; // body lines + the closing fence
    for (let i = block.line - 1; i < block.line + count && i < lines.length; i++) lines[i] = '';
  }
  return lines.join('\n');
}

/**
 * GitHub's anchor for a heading's text: inline markup dropped, lower case, every character that is
 * not a letter, digit, mark, `_`, `-` or space removed, each space turned into `-`.
 * @example githubSlug('Rotating the encryption key') // 'rotating-the-encryption-key'
 */
export function githubSlug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
    .replace(/<[^>]+>/g, '') // inline HTML
    .replace(/[`*]/g, '');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a document offers: heading slugs (repeats get `-1`, `-2`, ... as on GitHub) and `<a id|name>`. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const text = withoutFencedCode(markdown);
  for (const match of text.matchAll(/^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const slug = githubSlug(match[1] ?? '');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  for (const match of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1] ?? '');
  return anchors;
}

export interface MarkdownLink {
  target: string;
  line: number;
}

/** Inline links and images `[text](target "title")` and reference definitions `[x]: target`, outside code. */
export function linksOf(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  withoutFencedCode(markdown)
    .split('\n')
    .forEach((raw, index) => {
      const text = raw.replace(/`[^`]*`/g, '');
      for (const match of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ target: match[1] ?? '', line: index + 1 });
      const definition = /^ {0,3}\[[^\]]+\]:\s+<?(\S+?)>?(?:\s+.*)?$/.exec(text);
      if (definition !== null) links.push({ target: definition[1] ?? '', line: index + 1 });
    });
  return links;
}
