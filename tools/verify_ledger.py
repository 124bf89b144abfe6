#!/usr/bin/env python3
"""An independent verifier of an anbao ledger, written from docs/ledger-format.md alone.

Usage: verify_ledger.py WORKSPACE [--trust PATH]... [--checkpoint FILE]...

Exit 0 when the ledger verifies (and every anchor given holds), 1 when not, 2 on bad usage.
Without an anchor a ledger that verifies is self-consistent, not authenticated (§9).
Needs Python 3.8+, hashlib with SM3 (OpenSSL) for the gm profile, and the `cryptography`
package for the Ed25519 equation; the strict Ed25519 checks and SM2 are done here in plain
Python.
"""
import base64
import datetime
import hashlib
import json
import os
import re
import sys
import unicodedata

MAX_SAFE = 2**53 - 1


def digest(alg, data):
    return hashlib.new({"sha256": "sha256", "sm3": "sm3"}[alg], data).digest()


# --- strict JSON, RFC 8785 and the conventions of §2 ---------------------------------------------

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
    if not isinstance(text, str) or not text.isdigit() or not text.isascii() \
            or (len(text) > 1 and text[0] == "0"):
        raise ValueError("not a decimal string: %r" % (text,))
    return int(text)


TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def is_time(text):
    m = isinstance(text, str) and TIME.match(text)
    if not m:
        return False
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    off = m.group(8)
    if off != "Z" and (int(off[1:3]) > 23 or int(off[4:6]) > 59):
        return False
    try:
        datetime.datetime(y, mo, d, h, mi, s)
    except ValueError:
        return False
    return True


UNIT = re.compile(r"^[a-z][a-z0-9-]*$")
KIND = re.compile(r"^[a-z][a-z0-9]*([.-][a-z0-9]+)*$")
KEY_ID = re.compile(r"^(ed25519|sm2):[0-9a-f]{32}$")
DIGEST = re.compile(r"^(sha256|sm3):[0-9a-f]{64}$")


def unit_ok(u):
    return isinstance(u, str) and len(u) <= 64 and bool(UNIT.match(u))


# --- Ed25519, strictly (§3) ------------------------------------------------------------------------

EP = 2**255 - 19
EL = 2**252 + 27742317777372353535851937790883648493
ED = -121665 * pow(121666, EP - 2, EP) % EP
SQRT_M1 = pow(2, (EP - 1) // 4, EP)


def ed_decode(b):
    """The point of a 32-byte encoding (RFC 8032 §5.1.3), or None; y must be below p."""
    if len(b) != 32:
        return None
    y = int.from_bytes(b, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    if y >= EP:
        return None
    x2 = (y * y - 1) * pow(ED * y * y + 1, EP - 2, EP) % EP
    if x2 == 0:
        if sign:
            return None
        return (0, y)
    x = pow(x2, (EP + 3) // 8, EP)
    if (x * x - x2) % EP:
        x = x * SQRT_M1 % EP
    if (x * x - x2) % EP:
        return None
    if x & 1 != sign:
        x = EP - x
    return (x, y)


def ed_add(p, q):
    (x1, y1), (x2, y2) = p, q
    t = ED * x1 * x2 * y1 * y2 % EP
    x3 = (x1 * y2 + y1 * x2) * pow(1 + t, EP - 2, EP) % EP
    y3 = (y1 * y2 + x1 * x2) * pow(1 - t, EP - 2, EP) % EP
    return (x3, y3)


def ed_small_order(pt):
    for _ in range(3):
        pt = ed_add(pt, pt)
    return pt == (0, 1)


def ed_key_ok(pub):
    pt = ed_decode(pub)
    return pt is not None and not ed_small_order(pt)


def ed_verify(pub, msg, sig):
    if len(sig) != 64 or not ed_key_ok(pub):
        return False
    r = ed_decode(sig[:32])
    if r is None or ed_small_order(r) or int.from_bytes(sig[32:], "little") >= EL:
        return False
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    try:
        Ed25519PublicKey.from_public_bytes(pub).verify(sig, msg)
        return True
    except Exception:  # noqa: BLE001 - any failure is a bad signature
        return False


# --- SM2 (GB/T 32918) ------------------------------------------------------------------------------

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


def sm2_key_ok(pub):
    if len(pub) != 65 or pub[0] != 4:
        return False
    x, y = int.from_bytes(pub[1:33], "big"), int.from_bytes(pub[33:], "big")
    return x < P and y < P and (y * y - x * x * x - A * x - B) % P == 0


def sm2_verify(pub, msg, sig):
    if not sm2_key_ok(pub) or len(sig) != 64:
        return False
    x, y = int.from_bytes(pub[1:33], "big"), int.from_bytes(pub[33:], "big")
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


def key_ok(alg, pub):
    return ed_key_ok(pub) if alg == "ed25519" else alg == "sm2" and sm2_key_ok(pub)


def verify_sig(alg, pub, msg, sig):
    return ed_verify(pub, msg, sig) if alg == "ed25519" else sm2_verify(pub, msg, sig)


def key_id(alg, pub):
    return alg + ":" + digest("sha256" if alg == "ed25519" else "sm3", pub)[:16].hex()


# --- keys (§6) -------------------------------------------------------------------------------------

def check_key_object(k):
    """(alg, public key bytes) of a valid KEY object, else ValueError."""
    if not isinstance(k, dict) or not {"alg", "key_id", "public_key", "unit"} <= set(k) \
            or not set(k) <= {"alg", "key_id", "public_key", "unit", "unit_name"}:
        raise ValueError("KEY members")
    if "unit_name" in k and (not isinstance(k["unit_name"], str) or not k["unit_name"]):
        raise ValueError("unit_name")
    pub = b64(k["public_key"])
    if k["alg"] not in ("ed25519", "sm2") or not key_ok(k["alg"], pub):
        raise ValueError("not a valid public key")
    if key_id(k["alg"], pub) != k["key_id"] or not unit_ok(k["unit"]):
        raise ValueError("key id or unit")
    return k["alg"], pub


def proof_ok(k, alg, pub, proof):
    return verify_sig(alg, pub, b"anbao.key.v1\n" + jcs(k).encode("utf-8"), proof)


def key_op(kind, body):
    """The key operation of a key record: ('enrol'|'rotate', KEY, alg, pub, replaces) or
    ('revoke', key_id, reason); ValueError when the body is wrong."""
    if kind == "key.enrol" or kind == "key.rotate":
        want = {"key", "proof"} | ({"replaces"} if kind == "key.rotate" else set())
        if set(body) != want:
            raise ValueError("body members")
        alg, pub = check_key_object(body["key"])
        if not proof_ok(body["key"], alg, pub, b64(body["proof"])):
            raise ValueError("proof of possession does not verify")
        return (kind[4:], body["key"], alg, pub, body.get("replaces"))
    if set(body) != {"key_id", "reason"} or not isinstance(body["reason"], str) \
            or not body["reason"].strip() or len(body["reason"]) > 1000:
        raise ValueError("body members")
    return ("revoke", body["key_id"], body["reason"])


class History:
    """§6.2 and §6.3: enrolled keys, their enrolment and end, the founding record."""

    def __init__(self):
        self.keys = {}  # key id -> {"unit", "alg", "pub", "enrolled", "ended"}
        self.genesis = None
        self.founding_unit = None

    def current(self, unit):
        return [i for i, k in self.keys.items() if k["unit"] == unit and k["ended"] is None]

    def apply(self, seq, op, signer, signers):
        if op[0] in ("enrol", "rotate"):
            _, k, alg, pub, replaces = op
            if k["key_id"] in self.keys:
                raise ValueError("already enrolled")
            if op[0] == "enrol" and self.founding_unit is None:
                if signer != k["key_id"] or k["key_id"] not in signers:
                    raise ValueError("the founding record is not signed by its key")
                self.genesis, self.founding_unit = seq, k["unit"]
            elif op[0] == "enrol":
                own = self.current(k["unit"])
                allowed = own if own else self.current(self.founding_unit)
                if not set(allowed) & set(signers):
                    raise ValueError("not authorised")
            else:
                old = self.keys.get(replaces)
                if old is None or old["ended"] is not None or old["unit"] != k["unit"] \
                        or replaces not in signers:
                    raise ValueError("bad rotation")
            self.keys[k["key_id"]] = {"unit": k["unit"], "alg": alg, "pub": pub,
                                      "enrolled": seq, "ended": None}
            if op[0] == "rotate":
                self.keys[replaces]["ended"] = seq
        else:
            _, kid, _ = op
            if self.founding_unit is None:
                raise ValueError("no key enrolled yet")
            k = self.keys.get(kid)
            if k is None or k["ended"] is not None:
                raise ValueError("not a current key")
            allowed = self.current(k["unit"]) + self.current(self.founding_unit)
            if not set(allowed) & set(signers):
                raise ValueError("not authorised")
            k["ended"] = seq

    def counts(self, kid, seq=None, size=None, own=False):
        """Whether a signature by `kid` counts at record `seq` or at a tree of `size`."""
        k = self.keys.get(kid)
        if k is None:
            return False
        if seq is not None:
            if seq < self.genesis:
                return True
            if own:
                return True
            return k["enrolled"] <= seq and (k["ended"] is None or k["ended"] >= seq)
        if size <= self.genesis:
            return True
        return k["enrolled"] < size and (k["ended"] is None or k["ended"] >= size)


# --- private keys (§8, step 1) ---------------------------------------------------------------------

def is_private_key(data):
    if len(data) > 64 * 1024:
        return False
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if "-----BEGIN" in text and "PRIVATE KEY-----" in text:
        return True
    if "anbao-private-key" not in text:
        return False
    for m in re.finditer(r"secret[\s\"'=:]*([A-Za-z0-9+/=]+)", text):
        try:
            if len(b64(m.group(1))) == 32:
                return True
        except ValueError:
            pass
    try:
        import tomllib
        if str(tomllib.loads(text).get("format", "")).startswith("anbao-private-key"):
            return True
    except Exception:  # noqa: BLE001 - not TOML, or Python without tomllib
        pass
    try:
        v = json.loads(text)
        return isinstance(v, dict) and str(v.get("format", "")).startswith("anbao-private-key")
    except ValueError:
        return False


# --- the tree (§4.3, §5.1) -------------------------------------------------------------------------

def leaf_input(line):
    """The leaf input of any line, from its bytes alone (§4.3)."""
    at = line.rfind(b',"leaf_hash":"')
    if line.startswith(b'{"entry":') and line.endswith(b"}") and at >= 9:
        start = at + len(b',"leaf_hash":"')
        end = line.find(b'"', start)
        if end >= 0 and line[end:].startswith(b'","signatures":'):
            return line[:at] + line[end + 1:]
    return line


def mth(alg, leaves):
    if not leaves:
        return digest(alg, b"")
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return digest(alg, b"\x01" + mth(alg, leaves[:k]) + mth(alg, leaves[k:]))


def note_key_hash(name, alg, pub):
    if alg == "ed25519":
        return hashlib.sha256(name.encode() + b"\n\x01" + pub).digest()[:4]
    return digest("sm3", name.encode() + b"\n\xffanbao-sm2-sm3" + pub)[:4]


def read_checkpoint(text):
    """(origin, alg, size, root, body, [(name, key hash, sig)]) of a checkpoint note."""
    if any(c < " " and c != "\n" for c in text):
        raise ValueError("control characters")
    sep = text.rindex("\n\n")
    body, sig_text = text[: sep + 1], text[sep + 2:]
    if not sig_text.endswith("\n"):
        raise ValueError("no final newline")
    lines = body[:-1].split("\n")
    if len(lines) < 3 or any(not l for l in lines):
        raise ValueError("at least three non-empty lines")
    origin = lines[0]
    alg = origin.rsplit("/", 1)[-1]
    if not origin.startswith("anbao/") or alg not in ("sha256", "sm3"):
        raise ValueError("origin")
    size = dec(lines[1])
    root = b64(lines[2])
    times = [l[5:] for l in lines[3:] if l.startswith("time ")]
    if times and not is_time(times[0]):
        raise ValueError("the time line is not a time")
    sigs = []
    for sl in sig_text[:-1].split("\n"):
        if not sl.startswith("\u2014 "):
            raise ValueError("bad signature line")
        name, blob = sl[2:].split(" ")
        blob = b64(blob)
        if len(blob) < 5:
            raise ValueError("short signature")
        sigs.append((name, blob[:4], blob[4:]))
    if not sigs:
        raise ValueError("no signature")
    return origin, alg, size, root, body, sigs


def checkpoint_signed(body, sigs, keys):
    """Whether some key of `keys` (id -> (unit, alg, pub)) signed the note, none failing."""
    valid = 0
    for name, khash, sig in sigs:
        unit, _, kid = name.partition("/")
        k = keys.get(kid)
        if k is None or k[0] != unit or note_key_hash(name, k[1], k[2]) != khash:
            continue
        if not verify_sig(k[1], k[2], body.encode("utf-8"), sig):
            return False
        valid += 1
    return valid > 0


# --- the verifier (§8, §9) -------------------------------------------------------------------------

ENTRY = {"v", "seq", "kind", "time", "unit", "signer", "requires", "body", "evidence"}


def check_record(obj, i):
    if set(obj) != {"entry", "leaf_hash", "signatures"}:
        raise ValueError("members")
    e = obj["entry"]
    if not isinstance(e, dict) or not ENTRY <= set(e) or not set(e) <= ENTRY | {"supersedes"}:
        raise ValueError("entry members")
    if e["v"] != "1" or dec(e["seq"]) != i:
        raise ValueError("version or seq (line %d holds %s)" % (i + 1, e["seq"]))
    if not isinstance(e["body"], dict):
        raise ValueError("the body is not an object")
    if not isinstance(e["kind"], str) or len(e["kind"]) > 64 or not KIND.match(e["kind"]):
        raise ValueError("kind")
    if not is_time(e["time"]) or not unit_ok(e["unit"]):
        raise ValueError("time or unit")
    req = e["requires"]
    if not req or req[0] != e["unit"] or len(set(req)) != len(req) or not all(map(unit_ok, req)):
        raise ValueError("requires")
    if not DIGEST.match(obj["leaf_hash"]) or not obj["signatures"]:
        raise ValueError("leaf hash or signatures")
    for ev in e["evidence"]:
        if set(ev) != {"hash", "name", "size"} or not DIGEST.match(ev["hash"]):
            raise ValueError("evidence")
        dec(ev["size"])
    seen = set()
    for s in obj["signatures"]:
        if set(s) != {"alg", "key", "sig"} or not s["key"].startswith(s["alg"] + ":") \
                or s["key"] in seen:
            raise ValueError("signatures")
        seen.add(s["key"])
        b64(s["sig"])


def load_trust(path, pins):
    """§9: a folder of key files, a key file, or a file of key ids."""
    if os.path.isdir(path):
        for name in sorted(os.listdir(path)):
            if name.endswith(".json"):
                load_trust(os.path.join(path, name), pins)
        return
    data = open(path, "rb").read()
    text = data.decode("utf-8")
    if text.lstrip().startswith("{"):
        k = loads(data)
        alg, pub = check_key_object({m: k[m] for m in ("alg", "key_id", "public_key", "unit")})
        pins[k["key_id"]] = (k["unit"], alg, pub)
        return
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            if not KEY_ID.match(line):
                raise ValueError("%s: %r is not a key id" % (path, line))
            pins.setdefault(line, None)


def verify(ws, trust_paths=(), checkpoint_paths=()):
    failures = []
    fail = failures.append

    raw = open(os.path.join(ws, "records", "ledger.jsonl"), "rb").read() \
        if os.path.exists(os.path.join(ws, "records", "ledger.jsonl")) else b""
    if raw and not raw.endswith(b"\n"):
        fail("torn last line")
        raw = raw[: raw.rfind(b"\n") + 1]
    lines = raw.split(b"\n")[:-1] if raw else []
    records = []
    for i, line in enumerate(lines):
        try:
            obj = loads(line)
            if jcs(obj).encode("utf-8") != line or not all_nfc(obj):
                raise ValueError("not canonical")
            check_record(obj, i)
            alg, hexd = obj["leaf_hash"].split(":")
            if digest(alg, b"\x00" + leaf_input(line)).hex() != hexd:
                raise ValueError("leaf hash mismatch")
            records.append(obj)
        except Exception as ex:  # noqa: BLE001 - every problem is a failure to report
            fail("line %d: %s" % (i + 1, ex))
            records.append(None)

    # Every public key a key record carries, and the key records' operations (§6.1).
    ops, known = {}, {}
    for i, obj in enumerate(records):
        if obj is not None and obj["entry"]["kind"] in ("key.enrol", "key.rotate", "key.revoke"):
            try:
                ops[i] = key_op(obj["entry"]["kind"], obj["entry"]["body"])
                if ops[i][0] != "revoke":
                    known.setdefault(ops[i][1]["key_id"], (ops[i][1]["unit"], ops[i][2], ops[i][3]))
            except Exception as ex:  # noqa: BLE001
                fail("record %d: bad key record: %s" % (i, ex))

    def signing_input(entry):
        return b"anbao.ledger.v1\n" + jcs(entry).encode("utf-8")

    def sig_valid(sig, entry):
        k = known.get(sig["key"])
        return k is not None and k[1] == sig["alg"] and \
            verify_sig(k[1], k[2], signing_input(entry), b64(sig["sig"]))

    # §6.2: replay the key records in order.
    history = History()
    for i in sorted(ops):
        e = records[i]["entry"]
        signers = [s["key"] for s in records[i]["signatures"] if sig_valid(s, e)]
        try:
            history.apply(i, ops[i], e["signer"], signers)
        except ValueError as ex:
            fail("record %d: bad key record: %s" % (i, ex))

    signed = {}
    for i, obj in enumerate(records):
        if obj is None:
            continue
        e = obj["entry"]
        op = ops.get(i)
        own = op[1]["key_id"] if op and op[0] != "revoke" else None
        for sig in obj["signatures"]:
            if sig["key"] not in known:
                fail("record %d: unknown key %s" % (i, sig["key"]))
            elif not sig_valid(sig, e):
                fail("record %d: bad signature by %s" % (i, sig["key"]))
            elif not history.counts(sig["key"], seq=i, own=sig["key"] == own):
                fail("record %d: key %s may not sign here" % (i, sig["key"]))
            else:
                signed.setdefault(i, set()).add(known[sig["key"]][0])
        if known.get(e["signer"], (None,))[0] != e["unit"] or \
                e["signer"] not in [s["key"] for s in obj["signatures"]]:
            fail("record %d: no signature of the signer for unit %s" % (i, e["unit"]))
        if e["kind"] == "cosign":
            body, t = e["body"], None
            try:
                t = dec(body["target"]["seq"])
                ok = t < i and records[t] is not None and \
                    records[t]["leaf_hash"] == body["target"]["leaf_hash"] and \
                    sig_valid(body["signature"], records[t]["entry"]) and \
                    history.counts(body["signature"]["key"], seq=i)
            except Exception:  # noqa: BLE001
                ok = False
            if not ok:
                fail("record %d: bad co-signature of record %s" % (i, t))
            else:
                signed.setdefault(t, set()).add(known[body["signature"]["key"]][0])
        if "supersedes" in e:
            t = dec(e["supersedes"]["seq"])
            if t >= i or records[t] is None or records[t]["leaf_hash"] != e["supersedes"]["leaf_hash"]:
                fail("record %d: bad correction reference to %d" % (i, t))
        for ev in e["evidence"]:
            alg, hexd = ev["hash"].split(":")
            path = os.path.join(ws, "evidence", alg, hexd)
            if not os.path.isfile(path):
                fail("record %d: missing evidence %s" % (i, ev["name"]))
                continue
            data = open(path, "rb").read()
            if digest(alg, data).hex() != hexd or len(data) != dec(ev["size"]):
                fail("record %d: changed evidence %s" % (i, ev["name"]))
            elif is_private_key(data):
                fail("record %d: evidence %s is a private key" % (i, ev["name"]))

    awaiting = sum(1 for i, obj in enumerate(records)
                   if obj is not None and set(obj["entry"]["requires"]) - signed.get(i, set()))

    # §6.4 and §8 step 1: the key files, and private keys in the public folders.
    kdir = os.path.join(ws, "keys")
    for name in sorted(os.listdir(kdir)) if os.path.isdir(kdir) else []:
        path = os.path.join(kdir, name)
        if os.path.islink(path) or not os.path.isfile(path):
            continue
        data = open(path, "rb").read()
        if is_private_key(data):
            fail("keys/%s is a private key" % name)
            continue
        if not name.endswith(".json"):
            continue
        try:
            k = loads(data)
            if not {"format", "alg", "key_id", "public_key", "unit", "created"} <= set(k) or \
                    not set(k) <= {"format", "alg", "key_id", "public_key", "unit", "created",
                                   "unit_name", "proof"}:
                raise ValueError("members")
            if k["format"] != "anbao-public-key/1" or not is_time(k["created"]):
                raise ValueError("format or created")
            kobj = {m: k[m] for m in ("alg", "key_id", "public_key", "unit", "unit_name") if m in k}
            alg, pub = check_key_object(kobj)
            if "proof" in k and not proof_ok(kobj, alg, pub, b64(k["proof"])):
                raise ValueError("the proof does not verify")
        except Exception as ex:  # noqa: BLE001
            fail("key file %s: %s" % (name, ex))
            continue
        enrolled = history.keys.get(k["key_id"])
        if enrolled is None or enrolled["unit"] != k["unit"]:
            fail("key file %s: the ledger does not enrol key %s for %s" % (name, k["key_id"], k["unit"]))

    leaves_of = {}

    def root_at(alg, size):
        if alg not in leaves_of:
            leaves_of[alg] = [digest(alg, b"\x00" + leaf_input(l)) for l in lines]
        return mth(alg, leaves_of[alg][:size])

    def signers_at(size):
        if history.genesis is None:
            return {}
        return {i: (k["unit"], k["alg"], k["pub"]) for i, k in history.keys.items()
                if history.counts(i, size=size)}

    cdir = os.path.join(ws, "records", "checkpoints")
    for name in sorted(os.listdir(cdir)) if os.path.isdir(cdir) else []:
        path = os.path.join(cdir, name)
        if name.startswith(".") or os.path.isdir(path):
            continue
        try:
            if os.path.islink(path):
                raise ValueError("a symbolic link")
            data = open(path, "rb").read()
            if is_private_key(data):
                raise ValueError("a private key")
            _, alg, size, root, body, sigs = read_checkpoint(data.decode("utf-8"))
            if not checkpoint_signed(body, sigs, signers_at(size)):
                raise ValueError("no valid signature by a key that may sign it")
            if size > len(lines):
                raise ValueError("the ledger was truncated below this checkpoint")
            if root_at(alg, size) != root:
                raise ValueError("root mismatch")
        except Exception as ex:  # noqa: BLE001
            fail("checkpoint %s: %s" % (name, ex))

    # §9: anchors.
    founding = next((i for i, k in history.keys.items()
                     if history.genesis is not None and k["enrolled"] == history.genesis), None)
    anchored_failures = len(failures)
    reaches = False
    if trust_paths:
        pins = {}
        for p in trust_paths:
            load_trust(p, pins)
        if founding is not None and founding in pins:
            reaches = True
        elif lines:
            fail("anchor: the founding key %s is not among the trusted keys" % founding)
        for kid, pin in pins.items():
            if pin is not None and kid in history.keys and history.keys[kid]["unit"] != pin[0]:
                fail("anchor: key %s is trusted for %s but enrolled for %s"
                     % (kid, pin[0], history.keys[kid]["unit"]))
    else:
        pins = {}
    for p in checkpoint_paths:
        try:
            _, alg, size, root, body, sigs = read_checkpoint(open(p, encoding="utf-8").read())
            keys = dict(signers_at(size))
            keys.update({k: v for k, v in pins.items() if v is not None})
            if size > len(lines) or root_at(alg, size) != root:
                raise ValueError("not a prefix of the ledger")
            if not checkpoint_signed(body, sigs, keys):
                raise ValueError("no valid signature by a key that may sign it")
            if history.genesis is not None and size > history.genesis:
                reaches = True
        except Exception as ex:  # noqa: BLE001
            fail("anchor: checkpoint %s: %s" % (p, ex))
    anchored = bool(trust_paths or checkpoint_paths) and reaches and \
        len(failures) == anchored_failures
    return len(lines), awaiting, failures, anchored


def main(argv):
    ws, trust, cps = None, [], []
    args = list(argv[1:])
    while args:
        a = args.pop(0)
        if a in ("--trust", "--checkpoint") and args:
            (trust if a == "--trust" else cps).append(args.pop(0))
        elif ws is None and not a.startswith("-"):
            ws = a
        else:
            print(__doc__)
            return 2
    if ws is None:
        print(__doc__)
        return 2
    n, awaiting, failures, anchored = verify(ws, trust, cps)
    for f in failures:
        print("FAIL", f)
    print("%s: %d records, %d awaiting a signature, %d failures" % (
        "OK" if not failures else "FAILED", n, awaiting, len(failures)))
    if not failures:
        print("anchored: authenticated against the anchors given" if anchored else
              "not anchored: self-consistent but not authenticated")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
