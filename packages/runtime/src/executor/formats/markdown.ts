/**
 * Markdown → `{"frontMatter": {...}, "tables": [[row...]...], "sections": [{heading, level, content}]}`
 * (engine shape; CommonMark + GFM tables through marked's lexer). Front matter is read only when
 * the text starts with `---` on its own line. A section's content is the plain text of the
 * non-table blocks after its heading, up to the next heading, joined with "\n". `prefix` (the
 * operation's `outputSchema`) keeps only the sections whose heading starts with it.
 */
import { Lexer, type Token, type Tokens } from 'marked';
import { parse as parseYaml } from 'yaml';

/** Plain text of inline tokens. */
function inline(tokens: readonly Token[] | undefined, fallback = ''): string {
  if (!tokens) return fallback;
  return tokens
    .map((t) => {
      if (t.type === 'br') return '\n';
      if (t.type === 'html') return '';
      if ('tokens' in t && Array.isArray(t.tokens) && t.tokens.length) return inline(t.tokens as Token[]);
      return 'text' in t && typeof t.text === 'string' ? t.text : '';
    })
    .join('');
}

/** Plain text of a block token. */
function block(t: Token): string {
  switch (t.type) {
    case 'paragraph':
    case 'text':
      return inline((t as Tokens.Paragraph).tokens, (t as Tokens.Paragraph).text);
    case 'heading':
      return inline((t as Tokens.Heading).tokens, (t as Tokens.Heading).text);
    case 'list':
      return (t as Tokens.List).items.map((item) => item.tokens.map(block).filter(Boolean).join('\n')).join('\n');
    case 'blockquote':
      return (t as Tokens.Blockquote).tokens.map(block).filter(Boolean).join('\n');
    case 'code':
      return (t as Tokens.Code).text;
    case 'html':
      return (t as Tokens.HTML).raw.trim();
    default:
      return '';
  }
}

function table(t: Tokens.Table): Array<Record<string, string>> | undefined {
  const headers = t.header.map((h) => inline(h.tokens, h.text).trim());
  if (headers.every((h) => h === '')) return undefined;
  return t.rows.map((row) => Object.fromEntries(headers.map((h, i) => [h, row[i] ? inline(row[i]!.tokens, row[i]!.text).trim() : ''])));
}

/** Converts a Markdown document. */
export function markdownToJson(source: string, prefix?: string): { frontMatter: unknown; tables: Array<Array<Record<string, string>>>; sections: Array<{ heading: string; level: number; content: string }> } {
  let text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let frontMatter: unknown = {};
  if (text.startsWith('---\n')) {
    const end = /\n---[ \t]*(\n|$)/.exec(text.slice(3));
    if (end) {
      const yamlText = text.slice(4, 3 + end.index + 1);
      frontMatter = parseYaml(yamlText) ?? {};
      text = text.slice(3 + end.index + end[0].length);
    }
  }
  const tokens = new Lexer({ gfm: true }).lex(text);
  const tables: Array<Array<Record<string, string>>> = [];
  const sections: Array<{ heading: string; level: number; content: string }> = [];
  let current: { heading: string; level: number; parts: string[] } | undefined;
  const close = (): void => {
    if (current && (!prefix || current.heading.startsWith(prefix))) sections.push({ heading: current.heading, level: current.level, content: current.parts.join('\n') });
  };
  for (const t of tokens) {
    if (t.type === 'table') {
      const rows = table(t as Tokens.Table);
      if (rows) tables.push(rows);
    } else if (t.type === 'heading') {
      close();
      current = { heading: block(t).trim(), level: (t as Tokens.Heading).depth, parts: [] };
    } else if (current) {
      const content = block(t);
      if (content) current.parts.push(content);
    }
  }
  close();
  return { frontMatter, tables, sections };
}
