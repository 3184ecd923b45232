import { describe, expect, it } from 'vitest';
import { lookupNetrc, parseNetrc } from '../../../src/proxy/netrc.js';

// Vectors from Go 1.19's src/cmd/go/internal/auth/netrc_test.go (testNetrc), same expectations.
const goTestNetrc = `
machine incomplete
password none

machine api.github.com
  login user
  password pwd

machine incomlete.host
  login justlogin

machine test.host
login user2
password pwd2

machine oneline login user3 password pwd3

machine ignore.host macdef ignore
  login nobody
  password nothing

machine hasmacro.too macdef ignore-next-lines login user4 password pwd4
  login nobody
  password nothing

default
login anonymous
password gopher@golang.org

machine after.default
login oops
password too-late-in-file
`;

describe('parseNetrc', () => {
  it('matches Go 1.19 on its own test file', () => {
    expect(parseNetrc(goTestNetrc)).toEqual([
      { machine: 'api.github.com', login: 'user', password: 'pwd' },
      { machine: 'test.host', login: 'user2', password: 'pwd2' },
      { machine: 'oneline', login: 'user3', password: 'pwd3' },
      { machine: 'hasmacro.too', login: 'user4', password: 'pwd4' },
    ]);
  });
});

describe('lookupNetrc', () => {
  const entries = parseNetrc(
    'machine proxy.corp login a password 1\nmachine proxy.corp login b password 2\n',
  );

  it('takes the first entry for the host name, ignoring the port', () => {
    expect(lookupNetrc(entries, new URL('https://proxy.corp:8443/x'))?.login).toBe('a');
  });

  it('finds nothing for another host or a mere suffix', () => {
    expect(lookupNetrc(entries, new URL('https://evil-proxy.corp/'))).toBeUndefined();
    expect(lookupNetrc(entries, new URL('https://corp/'))).toBeUndefined();
  });
});
