#!/usr/bin/env python3
"""Every class of code point through every decoding context, for differential testing.

    codepoints.py ORACLE_DIR OUT_DIR   writes OUT_DIR/codepoints.json and OUT_DIR/documents.json

The classes: C0 controls, DEL, NUL, CR and CRLF, C1 controls (U+0080-U+009F), noncharacters
(U+FDD0-U+FDEF, U+xFFFE, U+xFFFF), UTF-8-encoded surrogates, overlong and other invalid byte
sequences, values beyond U+10FFFF - each as raw bytes and, where HTML has one, as a numeric
character reference (with and without ';', decimal and hex), in text, attribute values,
comments, <pre>, inline code, raw-text and RCDATA elements, table context and around white
space. The inputs are enumerated, not random; the expected outputs come from the reference
normalizer (tests/data/differential/README.md) and are committed beside the inputs.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile


def enc(cp):
    return chr(cp).encode('utf-8', 'surrogatepass')


C0 = [c for c in range(0x01, 0x20) if c not in (0x09, 0x0A)] + [0x7F]
C1 = list(range(0x80, 0xA0))
NONCHARS = [0xFDD0, 0xFDE7, 0xFDEF, 0xFFFE, 0xFFFF, 0x1FFFE, 0x1FFFF, 0x2FFFE, 0xEFFFF,
            0xFFFFE, 0x10FFFE, 0x10FFFF]
# Raw byte sequences that are not UTF-8 (each becomes one or more U+FFFD when decoded).
INVALID = {
    'surrogate-high': b'\xed\xa0\x80', 'surrogate-low': b'\xed\xbf\xbf',
    'surrogate-pair-cesu': b'\xed\xa0\xbd\xed\xb8\x80', 'overlong-slash-2': b'\xc0\xaf',
    'overlong-slash-3': b'\xe0\x80\xaf', 'overlong-slash-4': b'\xf0\x80\x80\xaf',
    'overlong-nul': b'\xc0\x80', 'beyond-10ffff': b'\xf4\x90\x80\x80',
    'lead-f5': b'\xf5\x80\x80\x80', 'byte-fe': b'\xfe', 'byte-ff': b'\xff',
    'lone-continuation': b'\x80', 'continuations': b'\x80\xbf\x80',
    'truncated-3': b'\xe4\xb8', 'truncated-4': b'\xf0\x9f\x98', 'truncated-then-ascii': b'\xe4x',
    'c1-as-latin1': b'\x85\x93\x94',
}
# Positions in an answer where one character (as bytes) is placed; %s is the character.
CONTEXTS = {
    'p': b'<p>a%sb</p>',
    'alone': b'<p>%s</p>',
    'edge': b'%s<p>x</p>%s',
    'spaces': b'<p>a %s b</p><p> %s </p>',
    'em': b'<p>a<em>%s</em>b<strong> %s</strong></p>',
    'pre': b'<pre><code>x%sy\n%s</code></pre>',
    'code': b'<p><code>%s`</code></p>',
    'attr': b'<p><a href="/x%sy" title="t%s">l</a><img src="/i.png" alt="a%sb"></p>',
    'comment': b'<p>a<!--%s-->b</p>',
    'textarea': b'<textarea>%s</textarea><script>%s</script>',
    'table': b'<table><tr><td>%s</td></tr>%s</table>',
    'list': b'<ul><li>%s1. x</li></ul>',
    'heading': b'<h2>%s</h2>',
    'gumbo': b'<p>a%sb<font>c</font></p>',  # markup outside the converter's fast path
    'rawtext': b'<style>%s</style><xmp>%s</xmp><p>x</p>',
    'foreign': b'<p><svg><desc>%s</desc></svg><math><mi>%s</mi></math></p>',
    'href-edge': b'<p><a href="%s/x%s">l</a><a href="%s?q%s">m</a><a href="%s#f%s">n</a></p>',
    'img-edge': b'<p>i<img src="%s/i.png%s" alt="i"></p>',
    'ol-start': b'<ol start="%s7%s"><li>x</li></ol>',
    'ref': b'<p>t<sup data-draft-type="reference" data-numero="%s1%s" data-text="%sref%s" '
           b'data-url="%s/r%s">[1]</sup></p>',
    'math': b'<p><img eeimg="1" alt="%sa%s\nb%s"></p><p>x<img eeimg="1" '
            b'src="https://www.zhihu.com/equation?tex=a%s">y</p>',
    'fence': b'<pre><code class="language-%sjs%s">x</code></pre>',
    'blank': b'<div>%s</div><p>a</p><div> %s <br></div>',
}
REFS_FOR = [0x00, 0x01, 0x08, 0x0B, 0x0C, 0x0D, 0x1F, 0x7F, 0xD800, 0xDFFF, 0x110000,
            0xFDD0, 0xFFFE, 0x10FFFF, 0xFFFFFFFF] + C1


def fill(template, ch):
    return template.replace(b'%s', ch)


def cases():
    out = []

    def add(name, data):
        out.append((name, data))

    def each_context(label, ch, contexts=CONTEXTS):
        for ctx in contexts:
            add('%s in %s' % (label, ctx), fill(CONTEXTS[ctx], ch))

    for c in C0 + C1:
        each_context('U+%04X' % c, enc(c), ['p', 'spaces', 'attr', 'gumbo'])
    for c in [0x00, 0x0B, 0x0C, 0x0D, 0x1C, 0x7F, 0x80, 0x81, 0x85, 0x8D, 0x9F, 0xA0, 0xFEFF,
              0xFFFD]:
        each_context('U+%04X' % c, enc(c))
    for c in NONCHARS:
        each_context('U+%04X' % c, enc(c), ['p', 'attr', 'gumbo', 'edge'])
    for label, data in INVALID.items():
        each_context(label, data, ['p', 'attr', 'comment', 'gumbo', 'edge'])
    for label, data in {'CR': b'\r', 'CRLF': b'\r\n', 'CRCRLF': b'\r\r\n', 'LFCR': b'\n\r'}.items():
        each_context(label, data)
    for v in REFS_FOR:
        forms = {'&#x%X;' % v, '&#%d;' % v}
        if v in (0x00, 0x0D, 0x80, 0x85, 0x9F):
            forms |= {'&#x%X' % v, '&#X%x;' % v, '&#x%06X;' % v}
        for ref in sorted(forms):
            each_context(ref, ref.encode(), ['p', 'attr', 'textarea', 'gumbo'])
    for ref in ['&#99999999999;', '&#x;', '&#;', '&NewLine;', '&Tab;', '&#x0D;&#x0A;']:
        each_context(ref, ref.encode(), ['p', 'attr'])
    # Values a C int cannot hold (one wraps around to 'A'), beside ones it can.
    for ref in ['&#x100000041;', '&#4294967361;', '&#x80000000;', '&#xFFFFFFFF', '&#X7FFFFFFF;',
                '&#x0000000000041;', '&#xFFFFFFFFFFFFFFFFFFFF;', '&#x110000;&#xFFFFFFFF;']:
        each_context(ref, ref.encode(), ['p', 'attr', 'textarea', 'rawtext', 'foreign', 'gumbo'])
    # Double-encoded Windows-1252, as real answers carry it: "‘…’ — €" read as Latin-1.
    mojibake = '\u2018quoted\u2019 \u2014 \u20ac5'.encode('utf-8').decode('latin-1')
    add('mojibake', ('<p>%s</p><p>%s</p>' % (mojibake, mojibake)).encode('utf-8'))
    add('mojibake-zhihu', ('<p>知乎<a href="/q">%s</a></p><figure><img src="/p.jpg" '
                           'alt="%s"><figcaption>%s</figcaption></figure><p><sup '
                           'data-draft-type="reference" data-numero="1" data-text="%s" '
                           'data-url="/r">[1]</sup></p><p><img eeimg="1" alt="x\u0085y"></p>'
                           % ((mojibake,) * 4)).encode('utf-8'))
    # The converter's own escape character and its partner block, as ordinary text.
    for c in [0x10FFFD, 0xF0000, 0xF0081, 0xFFFFD]:
        each_context('U+%04X' % c, enc(c), ['p', 'gumbo'])
        add('U+%04X before U+0081' % c, b'<p>' + enc(c) + enc(0x81) + enc(c) + b'<font>x</font></p>')
    return out


def documents():
    """Threads whose title, author, tags and answers hold one character of each class."""
    chars = C0 + [0x00, 0x09, 0x0A] + C1 + NONCHARS + [0xA0, 0x2028, 0x2029, 0xFEFF, 0xFFFD]
    out = []
    for c in chars:
        ch = chr(c)
        out.append(('U+%04X' % c, {
            'title': 'a%sb%s%sc' % (ch, ch, ch), 'author': 'x%sy' % ch,
            'tags': ['t%s' % ch, ch, 'ok'],
            'answers': [{'author': '%su%s' % (ch, ch), 'markdown': 'm%sd' % ch}]}))
    out.append(('CRLF', {'title': 'a\r\nb', 'author': '\r', 'tags': ['a\r\n'],
                         'answers': [{'author': 'u\r\n', 'markdown': 'm\r\nd'}]}))
    return out


DATE = '2026-01-17T08:00:00.000000+00:00'


def run(cmd, stdin=None):
    return subprocess.run(cmd, input=stdin, stdout=subprocess.PIPE, check=True).stdout


def write_json(path, entries):
    with open(path, 'w', encoding='utf-8') as f:
        f.write('[\n')
        f.write(',\n'.join(json.dumps(e, ensure_ascii=True) for e in entries))
        f.write('\n]\n')


def main():
    oracle, out_dir = sys.argv[1], sys.argv[2]
    cli = os.path.join(oracle, 'cli.js')
    tmp = tempfile.mkdtemp()
    all_cases = cases()
    for i, (_, data) in enumerate(all_cases):
        with open(os.path.join(tmp, '%05d.html' % i), 'wb') as f:
            f.write(data)
    run(['node', cli, 'batch', '--profile', 'plain', tmp, os.path.join(tmp, 'plain')])
    run(['node', cli, 'batch', '--profile', 'zhihu', tmp, os.path.join(tmp, 'zhihu')])
    run(['node', cli, 'batch', '--text', tmp, os.path.join(tmp, 'text')])
    entries = []
    for i, (name, data) in enumerate(all_cases):
        entry = {'name': name}
        try:
            entry['input'] = data.decode('utf-8')
        except UnicodeDecodeError:
            entry['input_hex'] = data.hex()
        for key, ext in [('plain', '.md'), ('zhihu', '.md'), ('text', '.txt')]:
            with open(os.path.join(tmp, key, '%05d%s' % (i, ext)), 'rb') as f:
                entry[key] = f.read().decode('utf-8')
        entries.append(entry)
    write_json(os.path.join(out_dir, 'codepoints.json'), entries)
    docs = []
    for name, thread in documents():
        thread = dict(thread, date=DATE, lastmod=DATE)
        text = run(['node', cli, 'document'], json.dumps(thread).encode('utf-8'))
        docs.append({'name': name, 'title': thread['title'], 'author': thread['author'],
                     'tags': thread['tags'], 'answers': thread['answers'],
                     'document': text.decode('utf-8')})
    write_json(os.path.join(out_dir, 'documents.json'), docs)
    shutil.rmtree(tmp)


if __name__ == '__main__':
    main()
