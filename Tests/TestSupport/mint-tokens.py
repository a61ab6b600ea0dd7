#!/usr/bin/env python3
"""Mints keys and tokens with PyJWT + cryptography, an implementation independent of the server's,
for the token-verification tests (through Tests/TestSupport/IndependentTokens.swift).

Usage: mint-tokens.py DIR
Writes DIR/keys.pem (an RSA key with a `kid:` line, a P-256 key without one), DIR/jwks-1.json and
DIR/jwks-2.json (two JWK Sets, one RSA key each: a provider's rotation), and prints one JSON object:
{"secrets": {...}, "kids": {...}, "tokens": {name: token}}. Every token expires in 2100, so a run
never depends on the clock.
"""
import base64
import hashlib
import hmac
import json
import os
import sys

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

out = sys.argv[1]
CAMPAIGN = "6f1c2a4e-9b1d-4c3e-8f7a-0a1b2c3d4e5f"
ISSUER = "https://id.example.test/"
AUDIENCE = "campaign-api"
EXP = 4102444800  # 2100-01-01T00:00:00Z


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def pem(key) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def thumbprint(public_jwk: dict) -> str:
    """RFC 7638, computed here rather than by the library under comparison."""
    required = {"RSA": ("e", "kty", "n"), "EC": ("crv", "kty", "x", "y")}[public_jwk["kty"]]
    canonical = json.dumps({k: public_jwk[k] for k in required}, separators=(",", ":"), sort_keys=True)
    return b64(hashlib.sha256(canonical.encode()).digest())


def claims(**extra) -> dict:
    base = {"sub": "alice", "role": "editor", "campaigns": [CAMPAIGN], "iss": ISSUER, "aud": AUDIENCE,
            "iat": 1700000000, "exp": EXP}
    base.update(extra)
    return {k: v for k, v in base.items() if v is not None}


rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ec_key = ec.generate_private_key(ec.SECP256R1())
jwks_keys = [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(2)]
rsa_kid = "rsa-main"
ec_kid = thumbprint(json.loads(ECAlgorithm.to_jwk(ec_key.public_key())))

with open(os.path.join(out, "keys.pem"), "wb") as f:
    f.write(b"# RS256 key of the tests\nkid: " + rsa_kid.encode() + b"\n" + pem(rsa_key))
    f.write(b"# ES256 key: its kid is its RFC 7638 thumbprint\n" + pem(ec_key))
for index, key in enumerate(jwks_keys, start=1):
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"kid": f"jwks-{index}", "use": "sig", "alg": "RS256"})
    # A provider's set also holds keys the server must skip: an encryption key and an unknown curve.
    skipped = {"kty": "RSA", "use": "enc", "kid": "enc-1", "n": jwk["n"], "e": jwk["e"]}
    with open(os.path.join(out, f"jwks-{index}.json"), "w") as f:
        json.dump({"keys": [skipped, jwk]}, f)

current = "current-secret-" + os.urandom(16).hex()
previous = "previous-secret-" + os.urandom(16).hex()


def hs256_by_hand(header: dict, payload: dict, key: bytes) -> str:
    """PyJWT refuses a PEM public key as an HMAC secret, so the forgery is built by hand."""
    signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(payload).encode())
    return signing_input + "." + b64(hmac.new(key, signing_input.encode(), hashlib.sha256).digest())


tokens = {
    "rs256": jwt.encode(claims(), rsa_key, algorithm="RS256", headers={"kid": rsa_kid}),
    "rs256_no_kid": jwt.encode(claims(), rsa_key, algorithm="RS256"),
    "es256": jwt.encode(claims(), ec_key, algorithm="ES256", headers={"kid": ec_kid}),
    "hs256_current": jwt.encode(claims(), current, algorithm="HS256"),
    "hs256_previous": jwt.encode(claims(), previous, algorithm="HS256"),
    "wrong_kid": jwt.encode(claims(), rsa_key, algorithm="RS256", headers={"kid": "no-such-key"}),
    "alg_confusion": hs256_by_hand({"alg": "HS256", "typ": "JWT", "kid": rsa_kid}, claims(), pem(rsa_key)),
    "wrong_iss": jwt.encode(claims(iss="https://evil.example.test/"), rsa_key, algorithm="RS256", headers={"kid": rsa_kid}),
    "wrong_aud": jwt.encode(claims(aud="another-api"), rsa_key, algorithm="RS256", headers={"kid": rsa_kid}),
    "aud_array": jwt.encode(claims(aud=["other", AUDIENCE]), rsa_key, algorithm="RS256", headers={"kid": rsa_kid}),
    "no_aud": jwt.encode(claims(aud=None), rsa_key, algorithm="RS256", headers={"kid": rsa_kid}),
    "none": jwt.encode(claims(), None, algorithm="none"),
    "custom_claims": jwt.encode(
        claims(role=None, campaigns=None, **{"https://app.example/role": "admin", "https://app.example/campaigns": ["*"]}),
        rsa_key, algorithm="RS256", headers={"kid": rsa_kid}),
    "rs256_admin_all": jwt.encode(claims(role="admin", campaigns=["*"]), rsa_key, algorithm="RS256", headers={"kid": rsa_kid}),
    "jwks_1": jwt.encode(claims(), jwks_keys[0], algorithm="RS256", headers={"kid": "jwks-1"}),
    "jwks_2": jwt.encode(claims(), jwks_keys[1], algorithm="RS256", headers={"kid": "jwks-2"}),
}
json.dump({"secrets": {"current": current, "previous": previous},
           "kids": {"rsa": rsa_kid, "ec": ec_kid},
           "issuer": ISSUER, "audience": AUDIENCE, "campaign": CAMPAIGN, "tokens": tokens}, sys.stdout)
