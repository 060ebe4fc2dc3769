#!/usr/bin/env python3
"""Writes seed corpora for the parser fuzzers from tests/data, one folder per target:

    make_server_corpus.py OUT   →  OUT/zhihu_listing_fuzzer/, OUT/zhihu_probe_fuzzer/,
                                   OUT/zhihu_hot_list_fuzzer/, OUT/config_fuzzer/,
                                   OUT/status_request_fuzzer/

Listing seeds are real /feeds and /answers pages and question objects built from the
fixture dumps (answer contents cut to 300 characters to keep inputs small), with the
fuzzer's mode byte in front; probe seeds are single answers and Zhihu error objects.
"""
import glob
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
data = os.path.join(here, '..', 'data')
root = os.path.join(here, '..', '..')
out = sys.argv[1]


def write(target, name, payload):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(payload, str):
        payload = payload.encode('utf-8')
    with open(os.path.join(folder, name), 'wb') as f:
        f.write(payload)


def small(answer):
    a = dict(answer)
    a['content'] = a.get('content', '')[:300]
    return a


ERRORS = [(4 << 1, {'error': {'code': 40362, 'message': '您当前请求存在异常'}}),
          (5 << 1, {'error': {'code': 4041, 'message': '该回答已被删除'}}),
          (6 << 1, {'error': {'code': 429, 'message': '请求过于频繁'}}),
          (0, {'error': {'code': 10003, 'message': '请求参数异常'}})]

dirs = sorted(glob.glob(os.path.join(data, 'zhihu', 'questions', '*')))[:40]
hot = []
for i, d in enumerate(dirs):
    qid = os.path.basename(d)
    question = json.load(open(os.path.join(d, 'question.json'), encoding='utf-8'))
    answers = [small(a) for a in json.load(open(os.path.join(d, 'answers.json'), encoding='utf-8'))[:3]]
    base = 'https://z.test/api/v4/questions/42/'
    feeds = {'data': [{'type': 'question_feed_card', 'target_type': 'answer', 'target': a,
                       'cursor': 'c%d' % j} for j, a in enumerate(answers)],
             'paging': {'is_end': i % 2 == 0, 'next': base + 'feeds?offset=3&limit=3'}}
    listing = {'data': answers, 'paging': {'is_end': True, 'next': base + 'answers?offset=3'}}
    write('zhihu_listing_fuzzer', 'feeds-%s' % qid, b'\x00' + json.dumps(feeds, ensure_ascii=False).encode())
    write('zhihu_listing_fuzzer', 'answers-%s' % qid, b'\x00' + json.dumps(listing, ensure_ascii=False).encode())
    question['id'] = '42'
    write('zhihu_listing_fuzzer', 'question-%s' % qid, b'\x01' + json.dumps(question, ensure_ascii=False).encode())
    for a in answers[:1]:
        a = dict(a)
        a['id'] = '1234567890123456789'
        write('zhihu_probe_fuzzer', 'answer-%s' % qid, b'\x00' + json.dumps(a, ensure_ascii=False).encode())
    hot.append({'target': {'id': int(qid), 'title': question.get('title', '')},
                'detail_text': '%d 万热度' % (i + 1)})
for mode, body in ERRORS:
    text = json.dumps(body, ensure_ascii=False).encode()
    write('zhihu_listing_fuzzer', 'error-%d' % mode, bytes([mode]) + text)
    write('zhihu_probe_fuzzer', 'error-%d' % mode, bytes([mode >> 1]) + text)
    write('zhihu_hot_list_fuzzer', 'error-%d' % mode, text)
write('zhihu_hot_list_fuzzer', 'hot-list', json.dumps({'data': hot}, ensure_ascii=False))
write('zhihu_hot_list_fuzzer', 'hot-list-ad', json.dumps({'data': [{'card': 'ad'}] + hot[:2]}))

write('config_fuzzer', 'example.toml', open(os.path.join(root, 'config', 'archivist.example.toml'), 'rb').read())
write('config_fuzzer', 'small.toml',
      '[fetch]\ntimeout = "15m30s"\nmax_body = "1GiB"\nper_host_delay = "250ms"\n'
      '[zhihu]\ncookie = "z_c0=x"\npage_size = 7\n[schedule]\nmin_interval = "90s"\n'
      '[[thread]]\nurl = "https://www.zhihu.com/question/1"\n')
write('config_fuzzer', 'escapes.toml',
      '[store]\npath = "a\\u0041\\t\\"b\\\\c"\n[export]\ndir = \'中文\'\n'
      '[[thread]]\nurl = \"\"\"\\\n  x\\u00e9\"\"\"\n')

for name, head in [('get', 'GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n'),
                   ('query', 'GET /metrics?format=text HTTP/1.1\r\n\r\n'),
                   ('post', 'POST /healthz HTTP/1.1\r\nContent-Length: 3\r\n\r\n')]:
    write('status_request_fuzzer', name, head)
print('seed corpora in %s' % out)
