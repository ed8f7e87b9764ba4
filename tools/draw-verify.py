#!/usr/bin/env python3
"""Recompute a fazhi random draw (双随机) from its published JSON (docs/draw.md), standard library
only.  Usage: draw-verify.py published.json   (or - for standard input)
Prints the commitment, the seed and one line per drawn object: "<object id>\t<inspector ids>";
exit 0 when all three equal what the JSON says, 1 otherwise."""
import hashlib, json, sys

def canonical(i):
    d = lambda v: '-' if v is None else str(v)
    lines = [i['algorithm'], 'source\t%s\t%s' % (i['source']['kind'], i['source']['description']),
             'supersedes\t' + d(i['supersedes']), 'per_object\t%d' % i['per_object'],
             'recusal\t' + i['recusal']]
    lines += ['sample\t%s\t%s\t%d' % (s['grade'], d(s['ratio']), s['count']) for s in i['samples']]
    lines += ['object\t%d\t%s\t%s\t%s' % (o['id'], o['risk'], d(o['unit_id']), o['name'])
              for o in i['objects']]
    lines += ['inspector\t%d\t%s\t%s' % (p['id'], d(p['unit_id']), p['name']) for p in i['inspectors']]
    lines += ['conflict\t%d\t%s\t%d' % (c['inspector_id'], c['kind'], c['id']) for c in i['conflicts']]
    return ''.join(l + '\n' for l in lines).encode('utf-8')

class Stream:  # block k = SHA-256(seed || k as 8 bytes big-endian), eight 32-bit words each
    def __init__(self, seed): self.seed, self.k, self.words = seed, 0, []
    def below(self, n):  # unbiased integer in [0, n): rejection sampling
        limit = 2**32 - 2**32 % n
        while True:
            if not self.words:
                b = hashlib.sha256(self.seed + self.k.to_bytes(8, 'big')).digest()
                self.words, self.k = [int.from_bytes(b[j:j + 4], 'big') for j in range(0, 32, 4)], self.k + 1
            x = self.words.pop(0)
            if x < limit: return x % n

def sample(s, v, k):  # partial Fisher-Yates: v[:k] is the ordered sample
    for i in range(k):
        j = i + s.below(len(v) - i); v[i], v[j] = v[j], v[i]
    return v[:k]

def draw(i, seed):
    s, conf, chosen = Stream(seed), {(c['inspector_id'], c['kind'], c['id']) for c in i['conflicts']}, []
    for g in i['samples']:
        chosen += sample(s, [o for o in i['objects'] if o['risk'] == g['grade']], g['count'])
    ok = lambda o, p: not (o['unit_id'] and p['unit_id'] == o['unit_id']) and \
        (p['id'], 'object', o['id']) not in conf and not (o['unit_id'] and (p['id'], 'unit', o['unit_id']) in conf)
    return [(o['id'], sample(s, [p['id'] for p in i['inspectors'] if ok(o, p)], i['per_object'])) for o in chosen]

pub = json.load(sys.stdin if sys.argv[1:] in ([], ['-']) else open(sys.argv[1], encoding='utf-8'))
commitment = hashlib.sha256(canonical(pub['inputs'])).hexdigest()
seed = hashlib.sha256(bytes.fromhex(commitment) + pub['value']['value'].encode('utf-8')).digest()
result = draw(pub['inputs'], seed)
print('commitment', commitment); print('seed', seed.hex())
for o, ps in result: print('%d\t%s' % (o, ','.join(map(str, ps))))
same = commitment == pub['commitment'] and seed.hex() == pub['seed'] and \
    [[o, ps] for o, ps in result] == [[r['object_id'], r['inspector_ids']] for r in pub['result']]
print('match' if same else 'MISMATCH'); sys.exit(0 if same else 1)
