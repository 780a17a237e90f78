import { emailDetector } from './email';

describe('emailDetector', () => {
  it('finds addresses in free text, including several per cell and non-ASCII ones', () => {
    expect(emailDetector.find('alice@example.com')).toEqual(['alice@example.com']);
    expect(emailDetector.find('Contact: <bob.smith+ml@mail.example.co.uk>, cc zoë@exämple.de.')).toEqual(['bob.smith+ml@mail.example.co.uk', 'zoë@exämple.de']);
    expect(emailDetector.find('a_b%c-d@x-y.io;E@F.COM')).toEqual(['a_b%c-d@x-y.io', 'E@F.COM']);
  });

  it('ignores package versions, scopes, hosts without a top-level domain and retina image names', () => {
    for (const trap of ['lodash@4.17.21', '@mgov/privacy@0.1.0', 'npm i @scope/pkg', 'root@localhost', 'icon@2x.png', 'logo@3x.JPG', 'a@b', 'user@@example.com', 'x@-bad.com']) {
      expect([trap, emailDetector.find(trap)]).toEqual([trap, []]);
    }
  });

  it('redacts to the first letters and the top-level domain', () => {
    expect(emailDetector.redact('alice@example.com')).toBe('a***@e***.com');
    expect(emailDetector.redact('zoë@mail.exämple.de')).toBe('z***@m***.de');
  });
});
