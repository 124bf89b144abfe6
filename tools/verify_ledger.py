#!/usr/bin/env python3
"""An independent verifier of an anbao ledger, written from docs/ledger-format.md alone.

Usage: verify_ledger.py WORKSPACE        exit 0 when the ledger verifies, 1 when not.
Needs Python 3.8+, hashlib with SM3 (OpenSSL) for the gm profile, and the `cryptography`
package for Ed25519. SM2 is implemented here in plain Python.
"""
import base64
import hashlib
import json
import os
import sys
import unicodedata

MAX_SAFE = 2**53 - 1


def digest(alg, data):
    return hashlib.new({"sha256": "sha256", "sm3": "sm3"}[alg], data).digest()


# --- strict JSON and RFC 8785 (the subset records may hold) ---------------------------------

def _pairs(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key")
    return dict(pairs)


def _no_float(text):
    raise ValueError("float " + text)


def _int(text):
    v = int(text)
    if abs(v) > MAX_SAFE:
        raise ValueError("unsafe integer")
    return v


def loads(raw):
    return json.loads(raw.decode("utf-8"), object_pairs_hook=_pairs, parse_float=_no_float,
                      parse_int=_int, parse_constant=_no_float)


def _str(s):
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\b\f\n\r\t":
            out.append({"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}[ch])
        elif o < 0x20:
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def jcs(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return _str(v)
    if isinstance(v, list):
        return "[" + ",".join(jcs(x) for x in v) + "]"
    keys = sorted(v, key=lambda k: k.encode("utf-16-be"))
    return "{" + ",".join(_str(k) + ":" + jcs(v[k]) for k in keys) + "}"


def all_nfc(v):
    if isinstance(v, str):
        return unicodedata.normalize("NFC", v) == v
    if isinstance(v, list):
        return all(all_nfc(x) for x in v)
    if isinstance(v, dict):
        return all(all_nfc(k) and all_nfc(x) for k, x in v.items())
    return True


def b64(text):
    raw = base64.b64decode(text, validate=True)
    if base64.b64encode(raw).decode() != text:
        raise ValueError("non-canonical base64")
    return raw


def dec(text):
    if not text.isdigit() or (len(text) > 1 and text[0] == "0"):
        raise ValueError("not a decimal string: %r" % text)
    return int(text)


# --- signatures --------------------------------------------------------------------------------

P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
A = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC
B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
G = (0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7,
     0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0)
SM2_ID = b"1234567812345678"


def _add(p, q):
    if p is None:
        return q
    if q is None:
        return p
    if p[0] == q[0] and (p[1] + q[1]) % P == 0:
        return None
    if p == q:
        lam = (3 * p[0] * p[0] + A) * pow(2 * p[1], -1, P) % P
    else:
        lam = (q[1] - p[1]) * pow(q[0] - p[0], -1, P) % P
    x = (lam * lam - p[0] - q[0]) % P
    return (x, (lam * (p[0] - x) - p[1]) % P)


def _mul(k, p):
    r = None
    while k:
        if k & 1:
            r = _add(r, p)
        p = _add(p, p)
        k >>= 1
    return r


def sm2_verify(pub, msg, sig):
    if len(pub) != 65 or pub[0] != 4 or len(sig) != 64:
        return False
    x, y = int.from_bytes(pub[1:33], "big"), int.from_bytes(pub[33:], "big")
    if (y * y - x * x * x - A * x - B) % P:
        return False
    za = digest("sm3", (len(SM2_ID) * 8).to_bytes(2, "big") + SM2_ID + b"".join(
        v.to_bytes(32, "big") for v in (A, B, G[0], G[1], x, y)))
    e = int.from_bytes(digest("sm3", za + msg), "big")
    r, s = int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")
    if not (1 <= r < N and 1 <= s < N):
        return False
    t = (r + s) % N
    if t == 0:
        return False
    pt = _add(_mul(s, G), _mul(t, (x, y)))
    return pt is not None and (e + pt[0]) % N == r


def verify_sig(alg, pub, msg, sig):
    if alg == "sm2":
        return sm2_verify(pub, msg, sig)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    try:
        Ed25519PublicKey.from_public_bytes(pub).verify(sig, msg)
        return True
    except Exception:
        return False


def key_id(alg, pub):
    return alg + ":" + digest("sha256" if alg == "ed25519" else "sm3", pub)[:16].hex()


# --- Merkle tree (RFC 6962) ---------------------------------------------------------------------

def mth(alg, leaves):
    if not leaves:
        return digest(alg, b"")
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return digest(alg, b"\x01" + mth(alg, leaves[:k]) + mth(alg, leaves[k:]))


# --- the verifier ---------------------------------------------------------------------------------

def verify(ws):
    failures = []
    fail = failures.append

    trust = {}
    kdir = os.path.join(ws, "keys")
    for name in sorted(os.listdir(kdir)) if os.path.isdir(kdir) else []:
        if not name.endswith(".json"):
            continue
        try:
            k = loads(open(os.path.join(kdir, name), "rb").read())
            pub = b64(k["public_key"])
            if k["format"] != "anbao-public-key/1" or key_id(k["alg"], pub) != k["key_id"]:
                raise ValueError("key id does not match the public key")
            if k["key_id"] in trust:
                raise ValueError("listed twice")
            trust[k["key_id"]] = (k["alg"], pub, k["unit"])
        except Exception as e:  # noqa: BLE001 - every problem is a failure to report
            fail("trust store %s: %s" % (name, e))

    raw = open(os.path.join(ws, "records", "ledger.jsonl"), "rb").read()
    if raw and not raw.endswith(b"\n"):
        fail("torn last line")
        raw = raw[: raw.rfind(b"\n") + 1]
    lines = raw.split(b"\n")[:-1] if raw else []
    records = []
    for i, line in enumerate(lines):
        try:
            obj = loads(line)
            if set(obj) != {"entry", "leaf_hash", "signatures"}:
                raise ValueError("members")
            if jcs(obj).encode("utf-8") != line or not all_nfc(obj):
                raise ValueError("not canonical")
            e = obj["entry"]
            if e["v"] != "1" or dec(e["seq"]) != i:
                raise ValueError("version or seq (line %d holds %s)" % (i + 1, e["seq"]))
            alg, hexd = obj["leaf_hash"].split(":")
            leaf_input = jcs({"entry": e, "signatures": obj["signatures"]}).encode("utf-8")
            if digest(alg, b"\x00" + leaf_input).hex() != hexd:
                raise ValueError("leaf hash mismatch")
            records.append((obj, leaf_input))
        except Exception as ex:  # noqa: BLE001
            fail("line %d: %s" % (i + 1, ex))
            records.append((None, line))

    def signing_input(entry):
        return b"anbao.ledger.v1\n" + jcs(entry).encode("utf-8")

    def sig_ok(sig, entry):
        k = trust.get(sig["key"])
        return k is not None and k[0] == sig["alg"] and verify_sig(k[0], k[1], signing_input(entry), b64(sig["sig"]))

    signed = {}
    for i, (obj, _) in enumerate(records):
        if obj is None:
            continue
        e = obj["entry"]
        for sig in obj["signatures"]:
            if not sig_ok(sig, e):
                fail("record %d: signature by %s does not verify with the trust store" % (i, sig["key"]))
            else:
                signed.setdefault(i, set()).add(trust[sig["key"]][2])
        if trust.get(e["signer"], (None, None, None))[2] != e["unit"] or \
                e["signer"] not in [s["key"] for s in obj["signatures"]]:
            fail("record %d: no valid signature of the signer for unit %s" % (i, e["unit"]))
        if e["kind"] == "cosign":
            t = dec(e["body"]["target"]["seq"])
            if t >= i or records[t][0] is None or records[t][0]["leaf_hash"] != e["body"]["target"]["leaf_hash"] \
                    or not sig_ok(e["body"]["signature"], records[t][0]["entry"]):
                fail("record %d: bad co-signature of record %d" % (i, t))
            else:
                signed.setdefault(t, set()).add(trust[e["body"]["signature"]["key"]][2])
        if "supersedes" in e:
            t = dec(e["supersedes"]["seq"])
            if t >= i or records[t][0] is None or records[t][0]["leaf_hash"] != e["supersedes"]["leaf_hash"]:
                fail("record %d: bad correction reference to %d" % (i, t))
        for ev in e["evidence"]:
            alg, hexd = ev["hash"].split(":")
            path = os.path.join(ws, "evidence", alg, hexd)
            if not os.path.isfile(path):
                fail("record %d: missing evidence %s" % (i, ev["name"]))
            else:
                data = open(path, "rb").read()
                if digest(alg, data).hex() != hexd or len(data) != dec(ev["size"]):
                    fail("record %d: changed evidence %s" % (i, ev["name"]))

    awaiting = 0
    for i, (obj, _) in enumerate(records):
        if obj is not None and set(obj["entry"]["requires"]) - signed.get(i, set()):
            awaiting += 1

    cdir = os.path.join(ws, "records", "checkpoints")
    for name in sorted(os.listdir(cdir)) if os.path.isdir(cdir) else []:
        try:
            text = open(os.path.join(cdir, name), encoding="utf-8").read()
            sep = text.rindex("\n\n")
            body, sig_lines = text[: sep + 1], text[sep + 2:].splitlines()
            origin, size, root = body.split("\n")[:3]
            alg = origin.rsplit("/", 1)[1]
            size = dec(size)
            valid = 0
            for sl in sig_lines:
                if not sl.startswith("\u2014 "):
                    raise ValueError("bad signature line")
                kname, blob = sl[2:].split(" ")
                blob = b64(blob)
                unit, kid = kname.split("/", 1)
                k = trust.get(kid)
                if k is None or k[2] != unit:
                    continue
                if k[0] == "ed25519":
                    khash = hashlib.sha256(kname.encode() + b"\n\x01" + k[1]).digest()[:4]
                else:
                    khash = digest("sm3", kname.encode() + b"\n\xffanbao-sm2-sm3" + k[1])[:4]
                if khash != blob[:4]:
                    continue
                if not verify_sig(k[0], k[1], body.encode("utf-8"), blob[4:]):
                    raise ValueError("a known key's signature fails")
                valid += 1
            if not valid:
                raise ValueError("no valid signature by a trusted key")
            if size > len(records):
                raise ValueError("the ledger was truncated below this checkpoint")
            leaves = [digest(alg, b"\x00" + li) for _, li in records[:size]]
            if mth(alg, leaves) != b64(root):
                raise ValueError("root mismatch")
        except Exception as ex:  # noqa: BLE001
            fail("checkpoint %s: %s" % (name, ex))

    return len(lines), awaiting, failures


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    n, awaiting, failures = verify(sys.argv[1])
    for f in failures:
        print("FAIL", f)
    print("%s: %d records, %d awaiting a signature, %d failures" % (
        "OK" if not failures else "FAILED", n, awaiting, len(failures)))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
