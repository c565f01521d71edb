/** Which Host headers an open server answers: the names it is meant to be reached by, and IP addresses. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowedHostNames, hostNameOf, isAllowedHost } from './host-check.js';

describe('host check', () => {
  it('reads the host name of a Host header, with or without a port, IPv6 in brackets', () => {
    assert.equal(hostNameOf('Example.ORG:7878'), 'example.org');
    assert.equal(hostNameOf('example.org.'), 'example.org');
    assert.equal(hostNameOf('[::1]:7878'), '::1');
    assert.equal(hostNameOf('127.0.0.1'), '127.0.0.1');
    assert.equal(hostNameOf(''), null);
    assert.equal(hostNameOf(undefined), null);
  });

  it('accepts loopback names, the listen address, extra names, the public URL and IP addresses; nothing else', () => {
    const allowed = allowedHostNames({
      listenHost: 'dash.internal',
      names: ['buildbox'],
      publicUrls: ['https://Steward.Example.org/base'],
    });
    for (const ok of [
      'localhost:7878',
      'app.localhost',
      'dash.internal:80',
      'BUILDBOX',
      'steward.example.org',
      '127.0.0.1:7878',
      '[::1]:7878',
      '192.168.1.5:7878',
      '[fe80::1]',
    ]) {
      assert.equal(isAllowedHost(ok, allowed), true, ok);
    }
    for (const bad of ['attacker.example:7878', 'steward.example.org.attacker.example', 'localhost.attacker.example', '', undefined]) {
      assert.equal(isAllowedHost(bad, allowed), false, String(bad));
    }
  });
});
