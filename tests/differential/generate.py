#!/usr/bin/env python3
"""Random HTML fragments for differential testing of the normalizer against turndown.

Writes N fragments (deterministic for a seed) as IN_DIR/NNNNN.html. The expected outputs come
from the reference normalizer (turndown 7.2.2 on Node.js, see tests/data/differential/README.md)
and are committed; the C++ test reads them, so Node.js is never needed to run the suite.
"""
import os
import random
import sys

TAGS = ['p', 'div', 'span', 'b', 'strong', 'i', 'em', 'a', 'code', 'pre', 'ul', 'ol', 'li',
        'blockquote', 'h1', 'h2', 'h3', 'h6', 'br', 'hr', 'img', 'table', 'tr', 'td', 'th',
        'thead', 'tbody', 'caption', 'del', 's', 'strike', 'sup', 'sub', 'figure', 'figcaption',
        'noscript', 'section', 'dl', 'dt', 'dd', 'font', 'u', 'mark', 'input', 'wbr', 'svg',
        'math', 'script', 'style', 'textarea', 'template', 'center', 'x-custom', 'button',
        'select', 'option', 'iframe', 'video', 'audio', 'nobr', 'label']
TEXTS = ['hello', 'a b', ' lead', 'trail ', '  two  spaces  ', '\n', '\t', '\u00a0', '\u3000',
         '中文', '知乎用户', '1. not list', '- dash', '+ plus', '# hash', '### h3', '####### h7',
         '=== eq', '~~~ tilde', '> gt', '*star*', '_under_', '`tick`', '``', '[b]', 'back\\slash',
         '&amp;', '&lt;b&gt;', '&nbsp;', '&#8203;', '&copy', '&notanentity;', '&#x80;', '&#0;',
         '😀', 'a\r\nb', 'x|y', '$', '\u2028', '\ufeff', '1) x', '2.5', 'http://e.com/a_b',
         '<!-- c -->', '<![CDATA[x]]>', '\u200b', 'é', ' ', '']
ATTRS = {
    'a': [('href', ['http://e.com/(x)', '/rel/path', '//proto.rel/x', '', '#frag', 'a b',
                    '?q=1', '../up', 'https://link.zhihu.com/?target=x']),
          ('title', ['t', 'say "hi"', 'multi\n  line', '']), ('class', ['video-box', 'x'])],
    'img': [('src', ['/p.png', 'data:image/svg+xml;utf8,<svg>', '//pic.zhimg.com/v2-a.jpg?x=1',
                     '', 'https://www.zhihu.com/equation?tex=a%2Bb', 'a b.png']),
            ('alt', ['alt_[x]', 'E=mc^2', '', 'two\n lines']), ('title', ['T', '']),
            ('data-original', ['https://pic1.zhimg.com/v2-big.jpg', '']),
            ('data-actualsrc', ['//pic2.zhimg.com/v2-act.jpg']), ('eeimg', ['1', '0'])],
    'ol': [('start', ['3', '0', '-2', 'x', '0x10', '1e2', '', ' 7 ', '2.5'])],
    'code': [('class', ['language-js', 'language-', 'x language-py'])],
    'p': [('class', ['ztext-empty-paragraph', 'x'])],
    'sup': [('data-draft-type', ['reference']), ('data-numero', ['1', '2', '01', 'x', ' 3 ']),
            ('data-text', ['ref text', ' padded ', '']), ('data-url', ['/r', 'https://r.org', ''])],
    'td': [('colspan', ['2'])],
}


def attrs_for(rng, tag):
    out = []
    for name, values in ATTRS.get(tag, []):
        if rng.random() < 0.6:
            v = rng.choice(values).replace('&', '&amp;').replace('"', '&quot;')
            out.append(' %s="%s"' % (name, v))
    return ''.join(out)


def fragment(rng, depth):
    parts = []
    for _ in range(rng.randint(1, 4)):
        r = rng.random()
        if r < 0.35 or depth > 5:
            parts.append(rng.choice(TEXTS))
            if rng.random() < 0.3:
                parts.append(rng.choice([' ', '\n', '  ']))
        else:
            tag = rng.choice(TAGS)
            inner = fragment(rng, depth + 1)
            if tag in ('br', 'hr', 'img', 'input', 'wbr'):
                parts.append('<%s%s>' % (tag, attrs_for(rng, tag)))
            elif rng.random() < 0.08:
                parts.append('<%s%s>%s' % (tag, attrs_for(rng, tag), inner))  # unclosed
            else:
                parts.append('<%s%s>%s</%s>' % (tag, attrs_for(rng, tag), inner, tag))
    return ''.join(parts)


def main():
    out_dir, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    os.makedirs(out_dir, exist_ok=True)
    for i in range(n):
        with open(os.path.join(out_dir, '%05d.html' % i), 'w', encoding='utf-8') as f:
            f.write(fragment(rng, 0))


if __name__ == '__main__':
    main()
