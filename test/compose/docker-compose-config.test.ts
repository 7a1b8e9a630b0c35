/*
 * docker-compose itself judges every rendering: the stacks and the test applications must pass
 * `docker-compose config -q` (Debian's 1.29.2) without a single warning.
 */
import { STACKS } from '../../stacks';
import { TEST_APPS } from './fixtures';
import { dockerComposeConfig, itWithCompose } from './helpers';

const APPS = { ...STACKS, ...TEST_APPS };

describe('docker-compose config -q', () => {
  itWithCompose.each(Object.keys(APPS))(
    'accepts %s without warnings',
    async (name) => {
      const { stderr } = await dockerComposeConfig(APPS[name]());
      expect(stderr).toBe('');
    },
    60000,
  );

  itWithCompose(
    'interpolates secret variables from the environment, which is where their values live',
    async () => {
      const { stdout } = await dockerComposeConfig(STACKS.shop(), ['config']);
      expect(stdout).toContain('POSTGRES_PASSWORD: value-of-users_db_password');
      expect(stdout).toContain('SMTP_PASSWORD: value-of-notifications_smtp_password');
    },
    60000,
  );

  itWithCompose(
    'keeps escaped dollars literal',
    async () => {
      const { stdout } = await dockerComposeConfig(TEST_APPS.kitchenSink(), ['config']);
      expect(stdout).toContain('GREETING: costs $$5');
      expect(stdout).toContain('exec server --home $$HOME');
    },
    60000,
  );
});
