import { NGINX_PATH, nginxAvailable } from './nginx';

/**
 * A describe that needs Debian's nginx: skipped with a message where it is missing, except in
 * CI (CI=true), where a missing nginx fails (.ci/run installs it).
 */
export function nginxSuite(name: string, body: () => void): void {
  if (nginxAvailable()) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => {
      it('nginx is installed', () => {
        throw new Error(`${NGINX_PATH} is missing: CI must run the load-balancer tests (apt-get install nginx)`);
      });
    });
    return;
  }
  console.warn(`SKIPPED "${name}": ${NGINX_PATH} is absent (apt-get install nginx to run it).`);
  describe.skip(name, body); // skipped only on a laptop without nginx: the warning above says how to install it; CI fails instead
}
