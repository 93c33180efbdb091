// Small enhancements only: every page works without this file.
'use strict';

// "/" jumps to the search box, as on many search sites, unless the reader
// is typing somewhere already.
document.addEventListener('keydown', function (e) {
  if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) {
    return;
  }
  var t = e.target;
  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) {
    return;
  }
  var q = document.getElementById('q');
  if (!q) {
    return;
  }
  e.preventDefault();
  q.focus();
  q.select();
});
