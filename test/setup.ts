import nock from 'nock';
import { afterEach } from 'vitest';

// Unit tests never reach the internet; local fakes, PostgreSQL and Redis are on loopback.
nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);

afterEach(() => {
  nock.cleanAll();
});
