import nock from 'nock';

// Tests never leave the machine: every HTTP request outside loopback fails loudly unless a
// test intercepted it with nock. Loopback stays open for supertest and local fakes.
nock.disableNetConnect();
nock.enableNetConnect((host) => host.startsWith('127.0.0.1') || host.startsWith('localhost') || host.startsWith('[::1]'));
