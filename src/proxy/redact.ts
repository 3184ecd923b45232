/**
 * redactUrl renders a URL with its userinfo replaced by `xxxxx`, as Go's url.Redacted does
 * for passwords, and stricter: the user name is hidden too, and so is a query, since
 * tokens often live there.
 * Everything modguard prints about a URL goes through here. Unparsable input is replaced
 * whole, since it may still hold a secret.
 */
export function redactUrl(raw: string | URL): string {
  let u: URL;
  try {
    u = new URL(String(raw));
  } catch {
    return '<unparsable URL>';
  }
  if (u.username === '' && u.password === '' && u.search === '') return u.toString();
  if (u.username !== '' || u.password !== '') {
    u.username = 'xxxxx';
    u.password = '';
  }
  if (u.search !== '') u.search = '?xxxxx';
  return u.toString();
}

/** redactText replaces every `scheme://user:pass@` userinfo found in free text (error causes). */
export function redactText(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1xxxxx@');
}

/** sourceLabel names a GOPROXY entry in reports: its URL, redacted, without a trailing `/`. */
export function sourceLabel(url: string): string {
  return redactUrl(url).replace(/\/$/, '');
}
