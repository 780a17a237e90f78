import { matchesOf, type PiiDetector } from './pii-detector';

// Local part and domain labels allow letters of any script; the top-level domain must be letters,
// which keeps `lodash@4.17.21` and `user@localhost` out.
const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}](?:[\p{L}\p{N}._%+-]{0,62}[\p{L}\p{N}_%+-])?@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+(\p{L}{2,63})(?![\p{L}\p{N}-])/gu;

// Retina image names (`icon@2x.png`) look like addresses; no real top-level domain is a file type.
const FILE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'bmp', 'ico', 'tif', 'tiff', 'pdf', 'css', 'js', 'ts', 'json', 'html', 'htm', 'txt', 'csv', 'xml']);

function redactEmail(address: string): string {
  const at = address.lastIndexOf('@');
  const labels = address.slice(at + 1).split('.');
  return `${[...address][0]}***@${[...labels[0]!][0]}***.${labels[labels.length - 1]}`;
}

export const emailDetector: PiiDetector = {
  name: 'email',
  find: (text) =>
    text.includes('@')
      ? matchesOf(text, EMAIL, (match) => !FILE_EXTENSIONS.has(match.slice(match.lastIndexOf('.') + 1).toLowerCase()))
      : [],
  redact: redactEmail,
};
