/**
 * A small OpenID Connect provider for tests, on 127.0.0.1: discovery (OpenID Connect Discovery
 * 1.0 §4), an authorization endpoint that signs the configured user in at once, a token endpoint
 * that checks the client's secret, the code, the redirect URI and PKCE (RFC 7636 §4.6), ID tokens
 * signed RS256 (jose) with the key published at the JWKS endpoint, and UserInfo.
 *
 * `next` spoils the next answer on purpose, for the refusal tests: another state in the redirect,
 * another nonce or audience in the ID token, an ID token already expired, or one signed with a key
 * the JWKS does not hold.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface OidcTestUser {
  readonly sub: string;
  readonly preferred_username?: string;
  readonly email?: string;
  readonly email_verified?: boolean;
  readonly name?: string;
}

export interface Spoil {
  state?: string;
  nonce?: string;
  aud?: string;
  expired?: boolean;
  foreignKey?: boolean;
}

interface Grant {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly challenge: string;
  readonly nonce: string;
  readonly user: OidcTestUser;
}

export interface OidcTestProvider {
  readonly issuer: string;
  /** Who the authorization endpoint signs in next. */
  user: OidcTestUser;
  /** What the next authorization/token answer gets wrong (cleared once used). */
  next: Spoil;
  /** Token requests answered, and the last authorization request's parameters. */
  readonly seen: { tokenRequests: number; lastAuthorization: URLSearchParams | null };
  close(): Promise<void>;
}

const KID = 'test-key-1';

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/** OpenID Connect Discovery 1.0 §3: the provider's metadata. */
function discovery(issuer: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    userinfo_endpoint: `${issuer}/userinfo`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    authorization_response_iss_parameter_supported: true,
  };
}

/** The client id of an RFC 6749 §2.3.1 Basic header when its secret is right, else null. */
function clientOf(req: IncomingMessage, clients: Record<string, string>): string | null {
  const auth = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (!auth) return null;
  const [id, secret] = Buffer.from(auth, 'base64').toString('utf8').split(':').map(decodeURIComponent);
  return id && clients[id] === secret ? id : null;
}

/** An RS256 ID token (OpenID Connect Core §2) for the grant, spoiled as `spoil` says. */
function signIdToken(g: Grant, clientId: string, issuer: string, key: CryptoKey, spoil: Spoil): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...g.user, nonce: spoil.nonce ?? g.nonce })
    .setProtectedHeader({ alg: 'RS256', kid: KID })
    .setIssuer(issuer)
    .setSubject(g.user.sub)
    .setAudience(spoil.aud ?? clientId)
    .setIssuedAt(spoil.expired ? now - 7200 : now)
    .setExpirationTime(spoil.expired ? now - 3600 : now + 300)
    .sign(key);
}

/** The authorization endpoint (OpenID Connect Core §3.1.2): signs `provider.user` in at once. */
function authorize(
  provider: OidcTestProvider,
  clients: Record<string, string>,
  grants: Map<string, Grant>,
  url: URL,
  res: ServerResponse,
): void {
  const q = url.searchParams;
  provider.seen.lastAuthorization = q;
  const clientId = q.get('client_id') ?? '';
  const redirectUri = q.get('redirect_uri') ?? '';
  if (!(clientId in clients) || q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256')
    return send(res, 400, { error: 'invalid_request' });
  const code = randomBytes(16).toString('base64url');
  grants.set(code, {
    clientId,
    redirectUri,
    challenge: q.get('code_challenge') ?? '',
    nonce: q.get('nonce') ?? '',
    user: provider.user,
  });
  const back = new URL(redirectUri);
  back.searchParams.set('code', code);
  back.searchParams.set('state', provider.next.state ?? q.get('state') ?? '');
  delete provider.next.state;
  back.searchParams.set('iss', provider.issuer); // RFC 9207
  res.writeHead(302, { Location: back.href });
  res.end();
}

export async function startOidcProvider(
  clients: Record<string, string>,
  user: OidcTestUser,
): Promise<OidcTestProvider> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const foreign = await generateKeyPair('RS256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
  const grants = new Map<string, Grant>();
  const tokens = new Map<string, OidcTestUser>();
  let issuer = '';

  const provider: OidcTestProvider = {
    get issuer() {
      return issuer;
    },
    user,
    next: {},
    seen: { tokenRequests: 0, lastAuthorization: null },
    close: async () => undefined,
  };

  const takeSpoil = (): Spoil => {
    const spoil = provider.next;
    provider.next = {};
    return spoil;
  };

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    provider.seen.tokenRequests++;
    const id = clientOf(req, clients);
    if (!id) return send(res, 401, { error: 'invalid_client' });
    const form = new URLSearchParams(await readBody(req));
    const g = grants.get(form.get('code') ?? '');
    grants.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (!g || g.clientId !== id || g.redirectUri !== form.get('redirect_uri') || g.challenge !== challenge)
      return send(res, 400, { error: 'invalid_grant' });
    const access = randomBytes(16).toString('base64url');
    tokens.set(access, g.user);
    send(res, 200, {
      access_token: access,
      token_type: 'Bearer',
      expires_in: 300,
      id_token: await signIdToken(
        g,
        id,
        issuer,
        provider.next.foreignKey ? foreign.privateKey : privateKey,
        takeSpoil(),
      ),
    });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const route = async (): Promise<void> => {
      if (url.pathname === '/.well-known/openid-configuration') return send(res, 200, discovery(issuer));
      if (url.pathname === '/jwks') return send(res, 200, { keys: [jwk] });
      if (url.pathname === '/authorize') return authorize(provider, clients, grants, url, res);
      if (url.pathname === '/token' && req.method === 'POST') return token(req, res);
      if (url.pathname === '/userinfo') {
        const u = tokens.get(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
        return u ? send(res, 200, u) : send(res, 401, { error: 'invalid_token' });
      }
      send(res, 404, { error: 'not found' });
    };
    route().catch((err: unknown) => send(res, 500, { error: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  provider.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return provider;
}
