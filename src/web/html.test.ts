import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml, html, jsonForScript, raw } from './html.js';

describe('html', () => {
  it('escapes every interpolated value, in content and in attributes', () => {
    const subject = `<script>alert("x")</script> & 'quoted'`;
    assert.equal(
      html`<td title="${subject}">${subject}</td>`.value,
      '<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;</td>',
    );
  });

  it('keeps nested html and joins arrays, escaping their strings', () => {
    const rows = ['<a>', 'b'].map((x) => html`<li>${x}</li>`);
    assert.equal(html`<ul>${rows}${['<i>']}</ul>`.value, '<ul><li>&lt;a&gt;</li><li>b</li>&lt;i&gt;</ul>');
    assert.equal(html`${raw('<b>')}${null}${undefined}${false}${0}`.value, '<b>0');
  });

  it('JSON for a script block cannot close it or start markup', () => {
    const s = jsonForScript({ label: '</script><script>alert(1)</script>', amp: 'a&b', sep: '\u2028' }).value;
    assert.doesNotMatch(s, /<|>|&|\u2028/);
    assert.deepEqual(JSON.parse(s), { label: '</script><script>alert(1)</script>', amp: 'a&b', sep: '\u2028' });
  });

  it('escapeHtml covers the five characters', () => {
    assert.equal(escapeHtml(`&<>"'`), '&amp;&lt;&gt;&quot;&#39;');
  });
});
