export * from './audit-query';
export * from './digest-document';
export * from './passport/passport-document';
export * from './passport/section-kit';
export { PASSPORT_SECTIONS } from './passport/passport-sections';
export { buildPassport, type PassportInput } from './passport/build-passport';
export { passportMarkdown, escapeMarkdown } from './passport/render-markdown';
export { passportHtml, escapeHtml } from './passport/render-html';
