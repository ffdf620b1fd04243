/** syncml:auth-md5 (RepPro 1.2 §5.1.4, changes_for_syncml_represent_v11 §2.19; digest §4 vectors). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { md5Digest, md5Secret } from '../../src/syncml/auth.js';

describe('syncml:auth-md5 credential (digest §4)', () => {
  const secret = md5Secret('test', 'test');
  it('first session, empty nonce → x2EHlRSZiRM209YwocVlVg==', () => {
    assert.equal(md5Digest(secret, new Uint8Array(0), '1.2'), 'x2EHlRSZiRM209YwocVlVg==');
  });
  it('nonce UzlFTkkjISE= (bytes S9ENI#!!) → VOD06T5myvq1T4SXQEE6OQ==', () => {
    assert.equal(md5Digest(secret, Buffer.from('UzlFTkkjISE=', 'base64'), '1.2'), 'VOD06T5myvq1T4SXQEE6OQ==');
  });
  it('nonce TUpbISQiISE= → t7vYJHKXSiOH73CUcduGDw==', () => {
    assert.equal(md5Digest(secret, Buffer.from('TUpbISQiISE=', 'base64'), '1.1'), 't7vYJHKXSiOH73CUcduGDw==');
  });
});
