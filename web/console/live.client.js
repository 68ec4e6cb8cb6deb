// Live regions of a Console page: each element with data-live="<url>" is re-fetched from that URL (an HTML
// fragment of the same rows) every 2 seconds while it shows something in progress (an element with data-busy),
// else every 15 seconds, and never while the tab is hidden. Without JavaScript the page is simply as served.
(() => {
  const FAST = 2000;
  const SLOW = 15000;
  const refresh = async (region) => {
    if (document.hidden) return;
    try {
      const res = await fetch(region.dataset.live, { headers: { Accept: 'text/html' }, credentials: 'same-origin' });
      if (res.redirected || !res.ok) return;
      const html = await res.text();
      if (html !== region.innerHTML) region.innerHTML = html;
    } catch {
      // A failed poll is retried at the next tick; the page keeps what it shows.
    }
  };
  const tick = async (region) => {
    await refresh(region);
    setTimeout(() => tick(region), region.querySelector('[data-busy]') ? FAST : SLOW);
  };
  for (const region of document.querySelectorAll('[data-live]')) {
    setTimeout(() => tick(region), region.querySelector('[data-busy]') ? FAST : SLOW);
  }
})();
