/**
 * "Log in with …" on the login page (issue #19): shown when the server has an OpenID Connect
 * provider (http/app/oidc-login.ts). The button is a plain link: the browser goes to the provider
 * and comes back with a session cookie. A refused login comes back as `?login=oidc-failed`.
 */
import { loginOptions } from '../api.js';
import { t } from '../i18n/i18n.js';
import { h } from '../ui/dom.js';

/** Adds the button (and the word of a failed attempt to `error`) once the server has answered. */
export function ssoLogin(error: HTMLElement): HTMLElement {
  const box = h('div.sso-login');
  const failed = new URLSearchParams(location.search).get('login') === 'oidc-failed';
  if (failed) history.replaceState(null, '', location.pathname + location.hash);
  loginOptions().then(
    (o) => {
      if (!o.oidc) return;
      const provider = o.oidc.label;
      box.append(h('a.button.secondary.sso', { href: '/app/oidc/login' }, t('login.oidc', { provider })));
      if (failed) error.textContent = t('login.oidcFailed', { provider });
    },
    () => undefined, // no button offline
  );
  return box;
}
