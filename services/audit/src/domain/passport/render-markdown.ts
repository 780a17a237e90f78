import type { Block, PassportDocument } from './passport-document';

// Characters that could start markup, escaped so event data (a justification, a source name)
// always reads as text, whatever renders the Markdown later.
const MARKUP = /[\\`*_[\]<>|~#]/g;

export function escapeMarkdown(text: string): string {
  return text.replace(MARKUP, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

function blockMarkdown(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return escapeMarkdown(block.text);
    case 'facts':
      return ['| | |', '|---|---|', ...block.facts.map(([label, value]) => `| **${escapeMarkdown(label)}** | ${escapeMarkdown(value)} |`)].join('\n');
    case 'table': {
      const row = (cells: readonly string[]) => `| ${cells.map(escapeMarkdown).join(' | ')} |`;
      const caption = block.caption ? `**${escapeMarkdown(block.caption)}**\n\n` : '';
      return `${caption}${row(block.columns)}\n|${block.columns.map(() => '---').join('|')}|\n${block.rows.map(row).join('\n')}`;
    }
    default: {
      const unknown: never = block;
      throw new Error(`no Markdown for block ${JSON.stringify(unknown)}`);
    }
  }
}

/** The passport as GitHub-flavoured Markdown: a heading per section, tables for events. */
export function passportMarkdown(passport: PassportDocument): string {
  const parts = [`# ${escapeMarkdown(passport.title)}`, blockMarkdown(passport.summary)];
  for (const section of passport.sections) {
    parts.push(`## ${escapeMarkdown(section.title)}`, ...section.blocks.map(blockMarkdown));
  }
  return `${parts.join('\n\n')}\n`;
}
