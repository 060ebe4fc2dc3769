// /static/app.js: the web mode's page script. It reads js-initialData, renders the answers
// (or the hot list), makes sure a d_c0 cookie exists, and when the end of the list comes within
// 200 px of the viewport fetches `next` with the x-zse-93/x-zse-96 headers, renders that page
// and follows paging.next until paging.is_end. The signing function and its key live inside
// the closure: nothing outside the script can call them. It stops on need_force_login and on
// any failed page (no retry). #js-listEnd's data-state says where it is: more, loading, end,
// login or error. KeyedHash must stay equal to web_sign.cc's.
#include <string>

#include "tests/mock_zhihu/web_pages.h"

namespace mock_zhihu {
namespace {

constexpr char kAppJs[] = R"JS((function () {
  'use strict';
  var KEY = '@KEY@';
  var ZSE93 = '101_3_3.0';
  var SEEDS = [0x811c9dc5, 0x9747b28c, 0x2f1e3d4c, 0x6b43a9b5];

  function fmix(h) {
    h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  }
  function lane(bytes, seed) {
    var h = seed >>> 0;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    return fmix((h ^ bytes.length) >>> 0);
  }
  function sign(message) {
    var bytes = new TextEncoder().encode(KEY + '\n' + message);
    var out = '';
    for (var k = 0; k < SEEDS.length; k++) out += ('0000000' + lane(bytes, SEEDS[k]).toString(16)).slice(-8);
    return '2.0_' + out;
  }

  function cookie(name) {
    var parts = document.cookie ? document.cookie.split('; ') : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf('=');
      if (eq > 0 && parts[i].slice(0, eq) === name) return parts[i].slice(eq + 1);
    }
    return '';
  }
  function deviceId() {
    var v = cookie('d_c0');
    if (v) return v;
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    v = 'A' + Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('') +
        '|' + Math.floor(Date.now() / 1000);
    document.cookie = 'd_c0=' + v + '; path=/; max-age=63072000; samesite=lax';
    return cookie('d_c0') || v;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function pick(a, camel, snake) { return a[camel] !== undefined ? a[camel] : a[snake]; }
  function renderAnswer(list, a) {
    var author = a.author || {};
    var item = el('div', 'List-item');
    var card = el('div', 'ContentItem AnswerItem');
    card.setAttribute('name', String(a.id));
    card.setAttribute('data-zop', JSON.stringify({itemId: String(a.id), authorName: author.name || '', type: 'answer'}));
    var meta = el('div', 'ContentItem-meta');
    meta.appendChild(el('span', 'AuthorInfo-name', author.name || ''));
    var body = el('div', 'RichContent-inner');
    body.innerHTML = a.content || '';
    var t = new Date(1000 * (pick(a, 'updatedTime', 'updated_time') || 0));
    card.appendChild(meta);
    card.appendChild(body);
    card.appendChild(el('div', 'ContentItem-time', '编辑于 ' + t.toISOString().slice(0, 16).replace('T', ' ')));
    card.appendChild(el('div', 'ContentItem-actions',
        '赞同 ' + (pick(a, 'voteupCount', 'voteup_count') || 0) + ' · ' + (pick(a, 'commentCount', 'comment_count') || 0) + ' 条评论'));
    item.appendChild(card);
    list.appendChild(item);
  }
  function renderHot(list, items) {
    items.forEach(function (it) {
      var t = it.target || {};
      var row = el('section', 'HotItem');
      var a = el('a', 'HotItem-title', (t.titleArea || {}).text || '');
      a.href = (t.link || {}).url || '#';
      row.appendChild(a);
      row.appendChild(el('div', 'HotItem-metrics', (t.metricsArea || {}).text || ''));
      list.appendChild(row);
    });
  }

  var data = JSON.parse(document.getElementById('js-initialData').textContent);
  var state = data.initialState || {};
  var end = document.getElementById('js-listEnd');
  function setState(s, text) { end.setAttribute('data-state', s); end.textContent = text || ''; }

  deviceId();
  if (state.topstory && state.topstory.hotList) {
    renderHot(document.getElementById('js-hotList'), state.topstory.hotList);
    return setState('end');
  }
  var list = document.getElementById('js-answerList');
  var qid = list.getAttribute('data-qid');
  var answers = (state.entities && state.entities.answers) || {};
  var listing = qid && state.question && state.question.answers && state.question.answers[qid];
  if (!listing) {
    Object.keys(answers).forEach(function (k) { renderAnswer(list, answers[k]); });
    return setState('end');
  }
  (listing.ids || []).forEach(function (card) {
    if (card.targetType === 'answer' && answers[card.target]) renderAnswer(list, answers[card.target]);
  });
  if (listing.needForceLogin) return setState('login', '登录知乎，查看更多回答');
  if (listing.isDrained || !listing.next) return setState('end');

  var next = listing.next, busy = false;
  function nearEnd() { return end.getBoundingClientRect().top < window.innerHeight + 200; }
  function loadMore() {
    if (busy || end.getAttribute('data-state') !== 'more') return;
    busy = true;
    setState('loading', '加载中…');
    var url = new URL(next, location.href);
    var path = url.pathname + url.search;
    fetch(url.href, {
      credentials: 'same-origin',
      headers: {'x-zse-93': ZSE93, 'x-zse-96': sign(ZSE93 + '+' + path + '+' + deviceId()),
                'x-requested-with': 'fetch'}
    }).then(function (r) {
      return r.json().then(function (body) { return {ok: r.ok, status: r.status, body: body}; });
    }).then(function (res) {
      busy = false;
      if (!res.ok || !res.body || !res.body.paging) return setState('error', '加载失败（' + res.status + '）');
      (res.body.data || []).forEach(function (card) {
        if (card.target_type === 'answer' && card.target) renderAnswer(list, card.target);
      });
      var paging = res.body.paging;
      if (paging.need_force_login) return setState('login', '登录知乎，查看更多回答');
      if (paging.is_end || !paging.next) return setState('end');
      next = paging.next;
      setState('more');
      if (nearEnd()) loadMore();
    }).catch(function () {
      busy = false;
      setState('error', '网络错误');
    });
  }
  setState('more');
  new IntersectionObserver(function (entries) {
    if (entries.some(function (e) { return e.isIntersecting; })) loadMore();
  }, {rootMargin: '0px 0px 200px 0px'}).observe(end);
})();
)JS";

}  // namespace

std::string AppJs(const std::string& key) {
  std::string js = kAppJs;
  const size_t at = js.find("@KEY@");
  js.replace(at, 5, key);
  return js;
}

}  // namespace mock_zhihu
