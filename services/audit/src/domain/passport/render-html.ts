import type { Block, PassportDocument } from './passport-document';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const STYLE = 'body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem}'
  + 'table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}'
  + 'caption{text-align:left;font-weight:bold}';

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p>${escapeHtml(block.text)}</p>`;
    case 'facts':
      return `<table>${block.facts.map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('')}</table>`;
    case 'table': {
      const caption = block.caption ? `<caption>${escapeHtml(block.caption)}</caption>` : '';
      const head = `<thead><tr>${block.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>`;
      const body = block.rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('');
      return `<table>${caption}${head}<tbody>${body}</tbody></table>`;
    }
    default: {
      const unknown: never = block;
      throw new Error(`no HTML for block ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * The passport as one self-contained HTML page with the same structure as the Markdown. Rendered
 * from the blocks rather than by a Markdown library: every value is escaped here, whereas a
 * Markdown renderer passes inline HTML through.
 */
export function passportHtml(passport: PassportDocument): string {
  const sections = passport.sections.map((s) => `<section id="${escapeHtml(s.id)}"><h2>${escapeHtml(s.title)}</h2>${s.blocks.map(blockHtml).join('')}</section>`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(passport.title)}</title><style>${STYLE}</style></head>`
    + `<body><h1>${escapeHtml(passport.title)}</h1>${blockHtml(passport.summary)}${sections.join('')}</body></html>\n`;
}
