#!/usr/bin/env python3
"""Writes a seed corpus for convert_fuzzer: every fixture answer and differential fragment."""
import glob
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(here, '..', 'data')
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
n = 0
for path in glob.glob(os.path.join(data, '*', 'questions', '*', 'answers.json')):
    for a in json.load(open(path, encoding='utf-8')):
        with open(os.path.join(out, 'answer-%s.html' % a['id']), 'w', encoding='utf-8') as f:
            f.write(a['content'])
        n += 1
for i, c in enumerate(json.load(open(os.path.join(data, 'differential', 'cases.json'), encoding='utf-8'))):
    with open(os.path.join(out, 'fragment-%05d.html' % i), 'w', encoding='utf-8') as f:
        f.write(c['input'])
    n += 1
print('%d seed inputs in %s' % (n, out))
